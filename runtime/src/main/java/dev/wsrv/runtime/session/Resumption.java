package dev.wsrv.runtime.session;

import dev.wsrv.CloseCodes;
import dev.wsrv.Reply;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.codec.Json;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.handshake.AdmissionTicket;
import dev.wsrv.runtime.handshake.ResumeRequest;
import jakarta.json.JsonObjectBuilder;
import jakarta.websocket.Session;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of resumable sessions (docs/protocol.md#resumable-sessions): a new one gets its token and the session
 * message before anything else; a lost connection detaches it; a resume within the window attaches a new connection
 * and replays what it missed; the window's end, a full buffer or a deliberate close ends it. In a cluster a token
 * may name another node, which hands the session over through the {@link SessionHandoff}
 * (docs/protocol.md#resume-on-another-node); {@link ResumptionHandoff} is this node's side of it. The router only
 * delegates here and fires the events. Thread-safe.
 */
public final class Resumption implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Resumption.class.getName());

    /** The command of the session message. */
    public static final String SESSION_CMD = "wsrv.session";
    /** How many ended sessions are remembered for a late resume's reason. */
    private static final int MAX_TOMBSTONES = 10_000;
    /** How long at least an ended session is remembered, so that a client back late learns why. */
    private static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** The reason when the node a token names did not hand the session over. */
    static final String NODE_LOST = "node-lost";

    /** Ends a session for good: the router removes it and fires {@code SessionClosed}. */
    @FunctionalInterface
    public interface Ender {
        /**
         * Ends a session.
         *
         * @param state the session
         * @param code the close code reported
         * @param reason the close reason reported
         */
        void end(SessionState state, int code, String reason);
    }

    /**
     * The session an admitted connection opens.
     *
     * @param state the session, new or resumed
     * @param recovered whether an existing session was resumed
     * @param replayed how many pushes were replayed
     * @param superseded the connection the session had before, still open; the router closes it with 4001, or
     *     {@code null}
     */
    public record Opened(SessionState state, boolean recovered, int replayed, SessionSender superseded) {
    }

    record Tombstone(ResumeToken token, String reason, long until) {
    }

    final SessionRegistry registry;
    final WsrvConfig config;
    final boolean binary;
    final Ender ender;
    private final long windowNanos;
    final AtomicLong nodeBytes = new AtomicLong();
    final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    final Consumer<SessionState> leave;
    private volatile ResumptionHandoff handoff;
    volatile String node = ResumeToken.LOCAL_NODE;

    /**
     * Starts the window's clock.
     *
     * @param registry the sessions of this node
     * @param config the settings; {@code resume()} must be enabled
     * @param ender ends sessions whose window passed or whose buffer filled up
     * @param leave takes a session that moved to another node out of this one, without {@code SessionClosed}
     */
    public Resumption(SessionRegistry registry, WsrvConfig config, Ender ender, Consumer<SessionState> leave) {
        this.registry = registry;
        this.leave = leave;
        this.config = config;
        this.binary = config.pushFrameType() == WsrvConfig.FrameType.BINARY;
        this.ender = ender;
        this.windowNanos = config.resume().window().toNanos();
        long period = Math.max(50, Math.min(1000, config.resume().window().toMillis() / 10));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsrv-resume-window");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Lets clients resume on this node sessions of other nodes, and the others take this node's: from now on tokens
     * name this node by the hand-off's name.
     *
     * @param sessionHandoff the cluster's hand-off
     */
    public void handoff(SessionHandoff sessionHandoff) {
        this.node = sessionHandoff.node();
        ResumptionHandoff h = new ResumptionHandoff(this, sessionHandoff);
        this.handoff = h;
        sessionHandoff.serve(h);
    }

    /**
     * Opens the session of a connection whose client asked for a resumable one: resumes the session its token
     * names when the token, the principal and the window allow, else creates a new one and says why.
     *
     * @param session the container's session
     * @param admitted its admission, with a resume request
     * @return what was opened
     */
    public Opened open(Session session, AdmissionTicket admitted) {
        ResumeRequest request = admitted.resume();
        String principal = name(admitted.principal());
        String reason = "new";
        if (request.token() != null) {
            ResumeToken token = ResumeToken.parse(request.token());
            reason = "unknown-token";
            if (token != null) {
                Opened resumed = resume(session, token, principal, request.last());
                if (resumed != null) {
                    return resumed;
                }
                ResumptionHandoff h = handoff;
                if (h != null && !node.equals(token.node())) {
                    String[] why = {NODE_LOST};
                    Opened moved = h.take(session, token, principal, request.last(), why);
                    if (moved != null) {
                        return moved;
                    }
                    reason = why[0];
                }
                Tombstone t = tombstones.get(token.sessionId());
                if (t != null && t.token.matches(token) && t.token.node().equals(token.node())) {
                    reason = t.reason;
                }
            }
        }
        String why = reason;
        SessionState state = registry.register(session, config.sendQueueMaxMessages(), config.sendQueueMaxBytes(),
                s -> {
                    ResumeToken token = ResumeToken.issue(node, s.id());
                    PushLog log = new PushLog(PushIds.prefix(), config.resume().maxMessages(),
                            config.resume().maxBytes(), nodeBytes, config.resume().totalBytes());
                    s.resumable(new Resumable(this, log, principal, token));
                    log.attach(s.sender(), binary, 0, n -> sessionMessage(s.id(), token, false, why, 0));
                });
        return new Opened(state, false, 0, null);
    }

    private Opened resume(Session session, ResumeToken token, String principal, String last) {
        SessionState old = registry.get(token.sessionId());
        Resumable r = old == null ? null : old.resumableState();
        // the same checks, whichever fails: a forged token learns nothing about the session it names
        if (r == null || !node.equals(token.node()) || !r.token().matches(token)
                | !r.principal().equals(principal)) {
            return null;
        }
        synchronized (r) {
            if (!r.token().matches(token)) {
                // a racing resume with the same token won
                return null;
            }
            PushLog log = r.log();
            boolean wasAttached = log.attached();
            SessionSender previous = old.sender();
            if (wasAttached) {
                log.detach();
            }
            ResumeToken next = ResumeToken.issue(node, old.id());
            SessionSender sender = new SessionSender(session, old.id(), config.sendQueueMaxMessages(),
                    config.sendQueueMaxBytes());
            int replayed = log.attach(sender, binary, log.number(last),
                    n -> sessionMessage(old.id(), next, true, null, n));
            if (replayed == PushLog.GONE) {
                return null;
            }
            if (replayed == PushLog.EVICTED) {
                endNow(old, r, "buffer-full", wasAttached ? CloseCodes.RESUMED_ELSEWHERE : r.dropCode(),
                        wasAttached ? "resumed elsewhere" : r.dropReason());
                if (wasAttached) {
                    previous.close(CloseCodes.RESUMED_ELSEWHERE, "resumed elsewhere");
                }
                return null;
            }
            r.token(next);
            old.attach(session, sender);
            return new Opened(old, true, replayed, wasAttached ? previous : null);
        }
    }

    /**
     * Detaches a resumable session whose connection was lost, so that its client can resume it within the window.
     *
     * @param state the session
     * @param session the connection that closed
     * @param code the close code reported
     * @param reason the close reason reported
     * @return {@code true} when it was detached; {@code false} when that connection was no longer the session's
     *     (it was resumed on another) or the session ended
     */
    public boolean detach(SessionState state, Session session, int code, String reason) {
        Resumable r = state.resumableState();
        synchronized (r) {
            if (state.session() != session || !r.log().attached()) {
                return false;
            }
            state.keepAttributes();
            r.detached(System.nanoTime() + windowNanos, code, reason);
            r.log().detach();
            return true;
        }
    }

    /**
     * Tells whether a close came from a connection the session no longer uses, which closes without ending it.
     *
     * @param state the session
     * @param session the connection that closed
     * @return {@code true} for a connection replaced by a resume
     */
    public boolean superseded(SessionState state, Session session) {
        return state.resumable() && state.session() != session;
    }

    /**
     * Ends a resumable session at once, for a deliberate close; its buffer is given back.
     *
     * @param state the session
     */
    public void ended(SessionState state) {
        state.resumableState().log().end();
    }

    /**
     * Pushes to a resumable session through its log.
     *
     * @param state the session
     * @param push the push
     * @param sent receives the send's stage when the outcome is {@link PushLog.Outcome#SENT}
     * @return the outcome
     */
    static PushLog.Outcome append(SessionState state, PushEnvelope push, CompletableFuture<Void>[] sent) {
        Resumable r = state.resumableState();
        PushLog.Outcome outcome = r.log().append(push, sent);
        if (outcome == PushLog.Outcome.FULL) {
            // not on the pusher's thread: the SessionClosed observers run on the timer's
            r.owner().timer.execute(() -> r.owner().finish(state, r, "buffer-full"));
        }
        return outcome;
    }

    void endNow(SessionState state, Resumable r, String reason, int code, String text) {
        r.log().end();
        bury(state, r, reason);
        ender.end(state, code, text);
    }

    private void finish(SessionState state, Resumable r, String reason) {
        bury(state, r, reason);
        ender.end(state, r.dropCode(), r.dropReason());
    }

    void bury(SessionState state, Resumable r, String reason) {
        if (tombstones.size() < MAX_TOMBSTONES) {
            tombstones.put(state.id(), new Tombstone(r.token(), reason,
                    System.nanoTime() + Math.max(windowNanos, TOMBSTONE_NANOS)));
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (SessionState s : registry.all()) {
                Resumable r = s.resumableState();
                if (r == null) {
                    continue;
                }
                boolean expired;
                synchronized (r) {
                    expired = !r.log().attached() && now - r.expiresAt() >= 0 && r.log().end();
                }
                if (expired) {
                    finish(s, r, "expired");
                }
            }
            tombstones.values().removeIf(t -> now - t.until >= 0);
        } catch (RuntimeException e) {
            // the next round tries again; a clock that stopped would keep detached sessions for ever
            LOG.log(Level.WARNING, "wsrv: resume window sweep failed", e);
        }
    }

    /**
     * Ends the recovery of every session of this node that waits for its client: the node missed pushes of other
     * nodes ({@link PushesLost}), so it cannot promise them every push. Their clients get {@code pushes-lost}.
     */
    public void pushesLost() {
        for (SessionState s : registry.all()) {
            Resumable r = s.resumableState();
            if (r == null) {
                continue;
            }
            boolean ended;
            synchronized (r) {
                ended = !r.log().attached() && r.log().end();
            }
            if (ended) {
                timer.execute(() -> finish(s, r, "pushes-lost"));
            }
        }
    }

    /**
     * Returns the bytes all resumable sessions of this node keep.
     *
     * @return the bytes, counted as 2 per character
     */
    public long bufferedBytes() {
        return nodeBytes.get();
    }

    /** Stops the window's clock. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static String name(Principal p) {
        return p == null || p.getName() == null ? "" : p.getName();
    }

    static String sessionMessage(String id, ResumeToken token, boolean recovered, String reason, int replayed) {
        JsonObjectBuilder data = Json.builders().createObjectBuilder()
                .add("id", id).add("token", token.toString()).add("recovered", recovered);
        if (recovered) {
            data.add("replayed", replayed);
        } else {
            data.add("reason", reason);
        }
        return ReplyEncoder.toJson(Reply.ok(SESSION_CMD, "", data.build()));
    }
}
