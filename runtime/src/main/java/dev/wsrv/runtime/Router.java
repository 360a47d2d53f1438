package dev.wsrv.runtime;

import dev.wsrv.CloseCodes;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionOpened;
import dev.wsrv.SessionResumed;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.codec.Frame;
import dev.wsrv.runtime.handshake.AdmissionTicket;
import dev.wsrv.runtime.handshake.ThrottledWarning;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.runtime.routing.Dispatcher;
import dev.wsrv.runtime.session.IdleSweeper;
import dev.wsrv.runtime.session.Resumption;
import dev.wsrv.runtime.session.SessionHandoff;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionState;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives the endpoint's calls and runs them: registers sessions, dispatches frames, cleans up on close. A plain
 * object, built once per application by {@link dev.wsrv.runtime.cdi.RouterBean} (which finds the handlers and
 * middleware) and handed to the endpoints as it is, with no container proxy in between.
 *
 * <p>{@link #close()} is the one way it stops, on every deployment: the embedded server calls it first when it stops,
 * and the CDI container when the application stops. Thread-safe.
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    /** How long {@link #close()} waits for the clients' answers to the 1001 close frames. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /** The reason of the 1001 close frames a stopping server sends. */
    private static final String SHUTTING_DOWN = "server shutting down";

    private final WsrvConfig config;
    private final SessionRegistry registry;
    private final Dispatcher dispatcher;
    private final Consumer<Object> events;
    private final Ticker ticker;
    private final WsrvThreads threads;
    /** Hears sessions open, close, detach and resume; {@code null} when nothing observes. */
    private final WsrvObserver observer;
    /** The idle clock, once started; {@code null} before, and when sessions never time out. */
    private IdleSweeper idle;
    private volatile boolean started;
    /** The resumable sessions' life, or {@code null} when resumption is off. */
    private final Resumption resumption;

    private final ThrottledWarning bypassWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning transportWarning = new ThrottledWarning(LOG);
    private boolean closed;
    /** The cluster's hand-off, or {@code null}. */
    private volatile SessionHandoff handoff;
    /** Whether the server stops handing its resumable sessions over: their 1001 detaches them. */
    private volatile boolean draining;

    /**
     * Creates the router; {@link #start()} starts its idle clock.
     *
     * @param config the settings
     * @param registry the sessions
     * @param dispatcher runs the frames
     * @param events fires the session events; it may throw, which is logged
     * @param ticker the clock of the request limits
     * @param threads makes the idle clock's thread
     */
    public Router(WsrvConfig config, SessionRegistry registry, Dispatcher dispatcher, Consumer<Object> events,
                  Ticker ticker, WsrvThreads threads) {
        this(config, registry, dispatcher, events, ticker, threads, null);
    }

    /**
     * Creates the router with an observer; {@link #start()} starts its idle clock.
     *
     * @param config the settings
     * @param registry the sessions
     * @param dispatcher runs the frames
     * @param events fires the session events; it may throw, which is logged
     * @param ticker the clock of the request limits
     * @param threads makes the idle clock's thread
     * @param observer hears sessions open, close, detach and resume; {@code null} for none
     */
    public Router(WsrvConfig config, SessionRegistry registry, Dispatcher dispatcher, Consumer<Object> events,
                  Ticker ticker, WsrvThreads threads, WsrvObserver observer) {
        this.observer = observer;
        this.config = config;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.events = events;
        this.ticker = ticker;
        this.threads = threads;
        this.resumption = config.resume().enabled() ? new Resumption(registry, config, this::end, this::leave)
                : null;
        ContainerLogs.install();
    }

    /**
     * Finds the threads wsrv runs on and starts the idle clock, the first time only: in a WAR the web listener calls
     * it, where the container resolves the application's JNDI names; otherwise the first session does.
     */
    public void start() {
        if (started) {
            return;
        }
        threads.resolve();
        synchronized (this) {
            if (!started && !closed && config.idleTimeout().toMillis() > 0
                    && config.idleSweeper() == WsrvConfig.Switch.ON) {
                idle = new IdleSweeper(registry, config.idleTimeout(), threads);
            }
            started = true;
        }
    }

    /**
     * Stops the router: closes every session with 1001, waits a little for the clients' answers (a client that never
     * answers costs at most 3 seconds), then stops the idle clock and the workers. In a cluster whose hand-off has a
     * drain time, resumable sessions are detached rather than ended, and it waits up to that time until the other
     * nodes took every one (docs/protocol.md#clean-stop-of-a-node). Later calls do nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            started = true;
        }
        SessionHandoff h = handoff;
        Duration drain = h == null || resumption == null ? Duration.ZERO : h.drain();
        draining = !drain.isZero();
        long start = System.nanoTime();
        long resumable = registry.all().stream().filter(SessionState::resumable).count();
        for (SessionState s : registry.all()) {
            s.sender().close(CloseCodes.GOING_AWAY, SHUTTING_DOWN);
        }
        // stopping the transport while the close frames are still queued drops the connections, and the clients see
        // 1006 instead of 1001; a session leaves the registry when its close completes, or is detached
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        while (registry.all().stream().anyMatch(s -> !s.detached()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (draining && resumable > 0) {
            drain(start, drain, resumable);
        }
        IdleSweeper sweeper;
        synchronized (this) {
            sweeper = idle;
        }
        if (sweeper != null) {
            sweeper.close();
        }
        if (resumption != null) {
            resumption.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        ContainerLogs.uninstall();
    }

    /**
     * Opens a session: registers it, applies the limits, fires {@link SessionOpened}.
     *
     * <p>The endpoint keeps the state it returns and hands it to every later call, so that the container's thread
     * reading frames never touches the session's user properties, which a handler may be writing meanwhile.
     *
     * @param session the container's session
     * @return the session's state, or {@code null} when it was refused and is being closed
     */
    public SessionState open(Session session) {
        start();
        if (isClosed()) {
            // its upgrade passed just before the shutdown began; the sessions closed with 1001 did not include it
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, SHUTTING_DOWN));
            return null;
        }
        AdmissionTicket admitted = AdmissionTicket.of(session.getUserPrincipal());
        if (admitted == null || !admitted.open()) {
            // the upgrade did not pass the HandshakeGate (origin, limits and authentication were not checked), or
            // the session came so late that its connection slot was given back
            bypassWarning.warn("wsrv: closed a session whose upgrade request did not pass the handshake gate (path "
                    + LogText.safe(String.valueOf(session.getRequestURI())) + ")" + (admitted == null ? ""
                    : " in time") + "; close 1008");
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "not admitted"));
            return null;
        }
        // the container's timer is the backstop: the IdleSweeper closes ahead of it, the same on every container;
        // no timeout is -1 rather than 0, which Tyrus takes for a timeout due at once and schedules anew on every
        // frame in and out
        long idleMs = config.idleTimeout().toMillis();
        session.setMaxIdleTimeout(idleMs > 0 ? idleMs : -1);
        session.setMaxTextMessageBufferSize(config.maxMessageSize());
        session.setMaxBinaryMessageBufferSize(config.maxMessageSize());
        session.getUserProperties().putAll(admitted.attributes());
        SessionState state;
        if (admitted.resume() != null && resumption != null) {
            state = openResumable(session, admitted);
        } else {
            state = registry.register(session, config.sendQueueMaxMessages(), config.sendQueueMaxBytes());
            state.admitted(admitted);
            dispatcher.opened(state, admitted.address(), ticker.nanoTime());
            opened(state);
        }
        if (state != null && isClosed()) {
            // the shutdown began after the check above and may have gone through the registry before this session
            // was in it: either it saw the session, or this sees the shutdown
            state.sender().close(CloseCodes.GOING_AWAY, SHUTTING_DOWN);
        }
        return state;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private static void closeQuietly(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "wsrv: closing a refused session failed: " + e);
        }
    }

    private void opened(SessionState state) {
        if (observer != null) {
            observer.sessionOpened(state.id());
        }
        fire(new SessionOpened(state.id()));
    }

    private SessionState openResumable(Session session, AdmissionTicket admitted) {
        Resumption.Opened opened = resumption.open(session, admitted);
        SessionState state = opened.state();
        if (!opened.recovered()) {
            state.admitted(admitted);
            dispatcher.opened(state, admitted.address(), ticker.nanoTime());
            opened(state);
            return state;
        }
        // the new admission's attributes over those the session had
        session.getUserProperties().putAll(admitted.attributes());
        AdmissionTicket before = state.admitted();
        if (before != null) {
            before.release();
        }
        state.admitted(admitted);
        dispatcher.closed(state);
        dispatcher.opened(state, admitted.address(), ticker.nanoTime());
        if (opened.superseded() != null) {
            opened.superseded().close(CloseCodes.RESUMED_ELSEWHERE, "resumed elsewhere");
        }
        if (observer != null) {
            observer.sessionResumed(state.id());
        }
        fire(new SessionResumed(state.id(), state.user(), opened.replayed()));
        return state;
    }

    /**
     * Takes one inbound frame of a session, text or binary, as it arrives.
     *
     * @param state the session, as {@link #open} returned it; {@code null} for a refused one, whose frames are dropped
     * @param frame the frame
     */
    public void message(SessionState state, Frame frame) {
        if (state == null) {
            return;
        }
        state.touch();
        if (frame.exceeds(config.maxMessageSize())) {
            // Tyrus enforces the buffer size set on open; Undertow (WildFly) ignores it, so it is checked here too
            LOG.fine(() -> LogText.session(state.id()) + ": message larger than " + config.maxMessageSize() + " bytes");
            state.sender().close(CloseCodes.TOO_BIG, "message too big");
            return;
        }
        // its arrival, for the limits: a frame waiting for a worker is never charged for the wait
        dispatcher.accept(state, frame, ticker.nanoTime());
    }

    /**
     * Closes a session: it leaves every registry, then {@link SessionClosed} fires, once.
     *
     * @param state the session, as {@link #open} returned it; {@code null} for a refused one
     * @param reason the close reason the container reports
     */
    public void close(SessionState state, CloseReason reason) {
        close(state, state == null ? null : state.session(), reason);
    }

    /**
     * Closes a connection: a resumable session whose connection was lost is detached and waits for its client
     * (docs/protocol.md#resumable-sessions); any other session leaves every registry, then {@link SessionClosed}
     * fires, once.
     *
     * @param state the session, as {@link #open} returned it; {@code null} for a refused one
     * @param session the container's session that closed
     * @param reason the close reason the container reports
     */
    public void close(SessionState state, Session session, CloseReason reason) {
        if (state == null) {
            return;
        }
        // the server's own close when it closed the session: what the container reports then depends on a race
        // with the client's echo (1006 or the echoed code)
        CloseReason sent = state.sender().sentClose();
        CloseReason r = sent != null ? sent : reason;
        int code = r == null ? CloseReason.CloseCodes.NO_STATUS_CODE.getCode() : r.getCloseCode().getCode();
        String text = r == null || r.getReasonPhrase() == null ? "" : r.getReasonPhrase();
        if (state.resumable() && resumption != null) {
            if (resumption.superseded(state, session)) {
                // replaced by a resume, which gave back its slot: the session lives on
                return;
            }
            // a dropped connection (1006; 1001 when the container or a browser leaving the page reports it), or
            // one the server found silent, or one this stopping server hands over: the client may come back. The
            // client's 1000 or another code, a policy close or a shutdown without a hand-off is meant and ends it.
            boolean lost = sent == null ? code == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode()
                    || code == CloseCodes.GOING_AWAY : code == CloseCodes.NORMAL && IdleSweeper.REASON.equals(text)
                    || draining && code == CloseCodes.GOING_AWAY && SHUTTING_DOWN.equals(text);
            if (lost && resumption.detach(state, session, code, text)) {
                release(state);
                if (observer != null) {
                    observer.sessionDetached(state.id());
                }
                fire(new SessionDetached(state.id(), state.user(), code, text));
                return;
            }
            resumption.ended(state);
        }
        end(state, code, text);
    }

    /** Ends a session for good: it leaves every registry and {@link SessionClosed} fires, once. */
    private void end(SessionState state, int code, String text) {
        if (!registry.remove(state)) {
            return;
        }
        release(state);
        if (observer != null) {
            observer.sessionClosed(state.id(), code);
        }
        fire(new SessionClosed(state.id(), state.user(), code, text));
    }

    /** Takes out a session that moved to another node: it lives on there, so no {@link SessionClosed} fires. */
    private void leave(SessionState state) {
        if (registry.remove(state)) {
            release(state);
        }
    }

    /**
     * Lets resumable sessions move between the nodes of a cluster; called once, before the first connection.
     *
     * @param handoff the cluster's hand-off
     */
    public void handoff(SessionHandoff handoff) {
        if (resumption != null) {
            this.handoff = handoff;
            resumption.handoff(handoff);
        }
    }

    /**
     * Waits until the other nodes took every detached session or the drain time passed; the transport carries the
     * hand-offs meanwhile. Sessions left here end with the node, and their clients get {@code node-lost}.
     */
    private void drain(long start, Duration drain, long resumable) {
        long left = registry.all().stream().filter(SessionState::detached).count();
        while (left > 0 && System.nanoTime() - start < drain.toNanos()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            left = registry.all().stream().filter(SessionState::detached).count();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long n = left;
        LOG.info(() -> n == 0 ? "wsrv: stopped handing over " + resumable + " resumable sessions after " + ms
                + " ms: none left here" : "wsrv: " + n + " of " + resumable + " resumable sessions were not taken"
                + " by another node within " + ms + " ms; they end with this node");
    }

    /** Ends the recovery of the detached sessions: this node missed pushes of other nodes. */
    public void pushesLost() {
        if (resumption != null) {
            resumption.pushesLost();
        }
    }

    private void release(SessionState state) {
        if (state.admitted() != null) {
            state.admitted().release();
        }
        dispatcher.closed(state);
        state.sender().closedByContainer();
    }

    /**
     * Logs a transport error of a session; the container closes the session after it.
     *
     * @param state the session, as {@link #open} returned it, or {@code null}
     * @param error the error
     */
    public void error(SessionState state, Throwable error) {
        String id = state == null ? "?" : state.id();
        LOG.log(Level.FINE, error, () -> LogText.session(id) + ": transport error");
        if (error instanceof IOException || error.getClass().getSimpleName().equals("MessageTooBigException")) {
            // a dropped connection, or a message over the limit that the container answers with 1009: the
            // client's doing, not a server fault
            return;
        }
        // one line, at most one per 10 s: a client that provokes errors must not fill the log with stack traces
        transportWarning.warn(LogText.session(id) + ": transport error " + LogText.safe(String.valueOf(error))
                + " (stack trace at FINE)");
    }

    private void fire(Object event) {
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wsrv: an observer of " + event.getClass().getSimpleName() + " failed", e);
        }
    }

    /**
     * Returns the application's limits, for the decoders of {@link WsrvEndpoint#config}.
     *
     * @return the limits
     */
    WsrvConfig.Limits limits() {
        return config.limits();
    }
}
