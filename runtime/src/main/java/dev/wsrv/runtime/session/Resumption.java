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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of resumable sessions (docs/protocol.md#resumable-sessions): a new one gets its token and the session
 * message before anything else; a lost connection detaches it; a resume within the window attaches a new connection
 * and replays what it missed; the window's end, a full buffer or a deliberate close ends it. In a cluster a token
 * may name another node, which hands the session over through the {@link SessionHandoff}
 * (docs/protocol.md#resume-on-another-node). The router only delegates here and fires the events. Thread-safe.
 */
public final class Resumption implements AutoCloseable, SessionHandoff.Host {

    private static final Logger LOG = Logger.getLogger(Resumption.class.getName());

    /** The command of the session message. */
    public static final String SESSION_CMD = "wsrv.session";
    /** How many ended sessions are remembered for a late resume's reason. */
    private static final int MAX_TOMBSTONES = 10_000;
    /** How long at least an ended session is remembered, so that a client back late learns why. */
    private static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** A bound of last resort on the wait for another node's session; the hand-off's own timeout is shorter. */
    private static final long HANDOFF_WAIT_SECONDS = 30;
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

    private record Tombstone(ResumeToken token, String reason, long until) {
    }

    private final SessionRegistry registry;
    private final WsrvConfig config;
    private final boolean binary;
    private final Ender ender;
    private final long windowNanos;
    private final AtomicLong nodeBytes = new AtomicLong();
    private final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Consumer<SessionState> leave;
    private volatile SessionHandoff handoff;
    private volatile String node = ResumeToken.LOCAL_NODE;

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
        this.handoff = sessionHandoff;
        sessionHandoff.serve(this);
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
                SessionHandoff h = handoff;
                if (h != null && !node.equals(token.node())) {
                    String[] why = {NODE_LOST};
                    Opened moved = resumeFrom(h, session, token, principal, request.last(), why);
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
     * Resumes a session of another node: waits, a bounded time, for the owner to hand it over and the transport to
     * install it here.
     */
    private Opened resumeFrom(SessionHandoff h, Session session, ResumeToken token, String principal, String last,
                              String[] why) {
        CompletableFuture<Opened> installed = new CompletableFuture<>();
        try {
            h.take(new SessionHandoff.Request(token.node(), token.sessionId(), token.digest(), principal, last),
                    arrival -> {
                        Opened o = install(session, arrival, principal, last, why);
                        installed.complete(o);
                        return o == null ? null : o.state().id();
                    }).whenComplete((v, e) -> installed.complete(null));
            return installed.get(HANDOFF_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.FINE, "wsrv: taking a session from another node failed", e);
        }
        why[0] = NODE_LOST;
        return null;
    }

    /** Installs a session that arrived from another node and attaches the new connection to it. */
    private Opened install(Session session, SessionHandoff.Arrival arrival, String principal, String last,
                           String[] why) {
        if (arrival.snapshot() == null) {
            why[0] = arrival.reason() == null ? "unknown-token" : arrival.reason();
            return null;
        }
        SessionSnapshot snap;
        try {
            snap = SessionSnapshot.parse(arrival.snapshot());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wsrv: another node handed over a session this node cannot read", e);
            why[0] = NODE_LOST;
            return null;
        }
        if (!snap.principal().equals(principal) || registry.get(snap.id()) != null) {
            why[0] = "unknown-token";
            return null;
        }
        PushLog log = new PushLog(snap.prefix(), config.resume().maxMessages(), config.resume().maxBytes(),
                nodeBytes, config.resume().totalBytes());
        if (!log.restore(snap.next(), snap.pushes())) {
            why[0] = "buffer-full";
            return null;
        }
        ResumeToken token = ResumeToken.issue(node, snap.id());
        session.getUserProperties().putAll(snap.attributes());
        SessionState state = registry.adopt(snap.id(), session, config.sendQueueMaxMessages(),
                config.sendQueueMaxBytes(), s -> s.resumable(new Resumable(this, log, principal, token)));
        if (snap.user() != null) {
            registry.bindUser(state, snap.user());
        }
        snap.groups().forEach(g -> registry.join(state, g));
        for (RemotePush push : arrival.missed()) {
            if (!snap.skip().contains(push.seqno())) {
                missed(state, push);
            }
        }
        Resumable r = state.resumableState();
        synchronized (r) {
            int replayed = log.attach(state.sender(), binary, log.number(last),
                    n -> sessionMessage(snap.id(), token, true, null, n));
            if (replayed < 0) {
                why[0] = "buffer-full";
                endNow(state, r, "buffer-full", CloseCodes.GOING_AWAY, "recovery buffer full");
                return null;
            }
            return new Opened(state, true, replayed, null);
        }
    }

    @Override
    public SessionHandoff.Given give(SessionHandoff.Request request, Predicate<String> inFlight) {
        SessionState s = registry.get(request.sessionId());
        Resumable r = s == null ? null : s.resumableState();
        // the same checks, whichever fails, as for a resume on this node
        if (r == null || !node.equals(request.owner()) || !r.token().matchesDigest(request.digest())
                | !r.principal().equals(request.principal())) {
            return refused(request);
        }
        boolean wasAttached;
        SessionSender previous;
        PushLog.HandOver h;
        synchronized (r) {
            if (!r.token().matchesDigest(request.digest())) {
                return refused(request);
            }
            wasAttached = r.log().attached();
            previous = s.sender();
            h = r.log().handOver(r.log().number(request.last()));
        }
        if (h.status() == PushLog.GONE) {
            return refused(request);
        }
        if (wasAttached) {
            previous.close(CloseCodes.RESUMED_ELSEWHERE, "resumed elsewhere");
        }
        if (h.status() == PushLog.EVICTED) {
            bury(s, r, "buffer-full");
            ender.end(s, wasAttached ? CloseCodes.RESUMED_ELSEWHERE : r.dropCode(),
                    wasAttached ? "resumed elsewhere" : r.dropReason());
            return new SessionHandoff.Given(null, "buffer-full");
        }
        Set<String> skip = h.seqnos().stream().filter(inFlight).collect(Collectors.toSet());
        SessionSnapshot snap = new SessionSnapshot(s.id(), s.user(), Set.copyOf(s.groups()),
                s.snapshot().attributes(), r.principal(), r.log().prefix(), h.next(), h.after(), skip);
        String text = snap.toJson();
        leave.accept(s);
        return new SessionHandoff.Given(text, null);
    }

    private SessionHandoff.Given refused(SessionHandoff.Request request) {
        Tombstone t = tombstones.get(request.sessionId());
        boolean known = t != null && t.token.matchesDigest(request.digest()) && node.equals(request.owner());
        return new SessionHandoff.Given(null, known ? t.reason : "unknown-token");
    }

    @Override
    public void missed(String sessionId, RemotePush push) {
        SessionState s = registry.get(sessionId);
        if (s != null && s.resumable()) {
            missed(s, push);
        }
    }

    /** Appends a push that reached the cluster while the session was between nodes, when it is one of its targets. */
    @SuppressWarnings("unchecked")
    private static void missed(SessionState s, RemotePush push) {
        PushEnvelope envelope = push.reaches(s) ? PushEnvelope.ofAny(push.text()) : null;
        if (envelope != null) {
            append(s, envelope, new CompletableFuture[1]);
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

    private void endNow(SessionState state, Resumable r, String reason, int code, String text) {
        r.log().end();
        bury(state, r, reason);
        ender.end(state, code, text);
    }

    private void finish(SessionState state, Resumable r, String reason) {
        bury(state, r, reason);
        ender.end(state, r.dropCode(), r.dropReason());
    }

    private void bury(SessionState state, Resumable r, String reason) {
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
