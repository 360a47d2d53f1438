package dev.wsrv.runtime.session;

import dev.wsrv.SessionInfo;
import dev.wsrv.runtime.handshake.AdmissionTicket;
import java.security.Principal;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What wsrv keeps for one session, stored in the session's user properties under {@link #KEY}.
 *
 * <p>The user and groups are changed only through {@link SessionRegistry}, which keeps its indexes in step.
 */
public final class SessionState {

    /** The user-properties key of the state; application attributes never start with {@code dev.wsrv.}. */
    public static final String KEY = "dev.wsrv.state";

    private static final VarHandle CLOSE_HANDLED;

    static {
        try {
            CLOSE_HANDLED = MethodHandles.lookup().findVarHandle(SessionState.class, "closeHandled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String id;
    private volatile Session session;
    private volatile SessionSender sender;
    /** The resumable part, or {@code null} for a plain session. */
    private volatile Resumable resumable;
    /** The attributes kept while a resumable session has no connection. */
    private volatile Map<String, Object> detachedAttributes;
    private final Instant openedAt = Instant.now();
    /** Created at the first join: most sessions never join a group, and an idle one should cost little heap. */
    private volatile Set<String> groups;
    /** 0 until the registry removed the session; changed through {@link #CLOSE_HANDLED} only. */
    private volatile int closeHandled;
    private volatile String user;
    private volatile AdmissionTicket admitted;
    private volatile long lastInbound = System.nanoTime();

    SessionState(String id, Session session, SessionSender sender) {
        this.id = id;
        this.session = session;
        this.sender = sender;
    }

    /**
     * Returns the state of a session.
     *
     * @param session the session
     * @return its state, or {@code null} before it was registered
     */
    public static SessionState of(Session session) {
        return (SessionState) session.getUserProperties().get(KEY);
    }

    /**
     * Returns the session id.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Returns the container's session.
     *
     * @return the session
     */
    public Session session() {
        return session;
    }

    /**
     * Returns the session's send path.
     *
     * @return the sender
     */
    public SessionSender sender() {
        return sender;
    }

    /**
     * Returns the bound user.
     *
     * @return the user id, or {@code null}
     */
    public String user() {
        return user;
    }

    /**
     * Returns the principal the session was admitted as.
     *
     * @return the principal, or {@code null} for an anonymous session
     */
    public Principal principal() {
        AdmissionTicket a = admitted;
        return a == null ? null : a.principal();
    }

    /**
     * Returns the admission of the session's upgrade request, which holds its connection slot.
     *
     * @return the admission, or {@code null} before it is set
     */
    public AdmissionTicket admitted() {
        return admitted;
    }

    /**
     * Sets the admission of the session's upgrade request, once, when the session opens.
     *
     * @param admission the admission
     */
    public void admitted(AdmissionTicket admission) {
        this.admitted = admission;
    }

    /** Notes that a frame arrived, which keeps the session from being closed as idle. */
    public void touch() {
        lastInbound = System.nanoTime();
    }

    /**
     * Returns when the last frame arrived (or the session opened).
     *
     * @return the {@link System#nanoTime()} of the last inbound frame
     */
    public long lastInbound() {
        return lastInbound;
    }

    void user(String user) {
        this.user = user;
    }

    /** The groups; an empty set until the first join. Changed only through {@link #addGroup}/{@link #removeGroup}. */
    Set<String> groups() {
        Set<String> g = groups;
        return g == null ? Set.of() : g;
    }

    /** Adds a group; called with the registry's lock held, the only writer. */
    boolean addGroup(String group) {
        Set<String> g = groups;
        if (g == null) {
            g = ConcurrentHashMap.newKeySet(4);
            groups = g;
        }
        return g.add(group);
    }

    /** Removes a group; called with the registry's lock held, the only writer. */
    boolean removeGroup(String group) {
        Set<String> g = groups;
        return g != null && g.remove(group);
    }

    /**
     * Tells whether the session can be resumed by its client (docs/protocol.md#resumable-sessions).
     *
     * @return {@code true} for a resumable session
     */
    public boolean resumable() {
        return resumable != null;
    }

    /**
     * Tells whether the session is resumable and waiting for its client, with no connection.
     *
     * @return {@code true} while detached
     */
    public boolean detached() {
        return detachedAttributes != null;
    }

    /**
     * Returns when the session opened.
     *
     * @return the instant
     */
    public Instant openedAt() {
        return openedAt;
    }

    Resumable resumableState() {
        return resumable;
    }

    void resumable(Resumable r) {
        this.resumable = r;
    }

    /** Keeps the attributes apart from the connection, which is gone. */
    void keepAttributes() {
        detachedAttributes = attributes();
    }

    /** Moves the session onto a new connection, with the attributes it had. */
    void attach(Session newSession, SessionSender newSender) {
        Map<String, Object> kept = detachedAttributes != null ? detachedAttributes : attributes();
        newSession.getUserProperties().putAll(kept);
        newSession.getUserProperties().put(KEY, this);
        detachedAttributes = null;
        this.session = newSession;
        this.sender = newSender;
        touch();
    }

    boolean markCloseHandled() {
        return CLOSE_HANDLED.compareAndSet(this, 0, 1);
    }

    /**
     * Takes a snapshot.
     *
     * @return the snapshot
     */
    public SessionInfo snapshot() {
        return new SessionInfo(id, user, Set.copyOf(groups()), attributes(), openedAt);
    }

    private Map<String, Object> attributes() {
        Map<String, Object> kept = detachedAttributes;
        if (kept != null) {
            return kept;
        }
        // The container's map is not thread-safe and is written by the session's own thread; a copy that races
        // with a write is simply taken again.
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Map<String, Object> copy = new HashMap<>();
                session.getUserProperties().forEach((k, v) -> {
                    if (!k.startsWith("dev.wsrv.") && v != null) {
                        copy.put(k, v);
                    }
                });
                return copy;
            } catch (java.util.ConcurrentModificationException e) {
                Thread.onSpinWait();
            } catch (RuntimeException e) {
                // some containers refuse access once the session is closed
                return Map.of();
            }
        }
        return Map.of();
    }
}
