package dev.wsrv.runtime;

import dev.wsrv.WsrvConfig;
import dev.wsrv.CloseCodes;
import dev.wsrv.Command;
import dev.wsrv.Middleware;
import dev.wsrv.Routes;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionOpened;
import dev.wsrv.AppliesTo;
import dev.wsrv.runtime.cdi.WsrvExtension;
import dev.wsrv.runtime.codec.Frame;
import dev.wsrv.runtime.handshake.AdmissionTicket;
import dev.wsrv.runtime.handshake.HandshakeGate;
import dev.wsrv.runtime.handshake.ThrottledWarning;
import dev.wsrv.runtime.routing.BeanValidation;
import dev.wsrv.runtime.routing.Binder;
import dev.wsrv.runtime.routing.Dispatcher;
import dev.wsrv.runtime.routing.Problem;
import dev.wsrv.runtime.routing.RouteTable;
import dev.wsrv.runtime.session.IdleSweeper;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives the endpoint's calls and runs them: registers sessions, dispatches frames, cleans up on close.
 *
 * <p>The routing table is built once, when the application starts; a duplicate command or a failing
 * {@link Routes} bean fails the start. Thread-safe.
 */
@ApplicationScoped
public class Router {

    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    /** Priority of a middleware bean without {@code @Priority}: after the usual application range. */
    public static final int DEFAULT_MIDDLEWARE_PRIORITY = 2500;

    @Inject
    BeanManager beanManager;
    @Inject
    WsrvExtension extension;
    @Inject
    @Any
    Instance<Middleware> middleware;
    @Inject
    @Any
    Instance<Routes> routes;
    @Inject
    @Any
    Instance<Object> beans;
    @Inject
    SessionRegistry registry;
    @Inject
    LocalPusher pusher;
    @Inject
    WsrvConfig config;
    @Inject
    Event<Object> events;
    @Inject
    HandshakeGate gate;
    @Inject
    Instance<Ticker> tickers;

    private final ThrottledWarning bypassWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning transportWarning = new ThrottledWarning(LOG);

    private Dispatcher dispatcher;
    private IdleSweeper idle;
    private Ticker ticker;

    /** Creates the router; CDI calls this. */
    public Router() {
    }

    @PostConstruct
    void init() {
        RouteTable.Builder table = RouteTable.builder();
        for (Instance.Handle<Middleware> h : middleware.handles()) {
            // the bean class, not getClass(): a normal-scoped bean's instance is a proxy
            Class<?> beanClass = h.getBean().getBeanClass();
            Priority p = beanClass.getAnnotation(Priority.class);
            AppliesTo only = beanClass.getAnnotation(AppliesTo.class);
            table.use(p == null ? DEFAULT_MIDDLEWARE_PRIORITY : p.value(), h.get(),
                    only == null ? new String[0] : only.value());
        }
        for (WsrvExtension.CommandBean cb : extension.commandBeans()) {
            Bean<?> bean = cb.bean();
            Object target = beanManager.getReference(bean, bean.getBeanClass(), beanManager.createCreationalContext(bean));
            for (Method m : cb.methods()) {
                table.command(m.getAnnotation(Command.class).value(), target, m);
            }
        }
        for (Routes r : routes) {
            try {
                r.register(table);
            } catch (Exception e) {
                throw new IllegalStateException("wsrv: routes " + r.getClass().getName() + " failed: " + e, e);
            }
        }
        gate.path(); // creates the gate now: a second HandshakeAuthenticator fails the start, not the first upgrade
        RouteTable built = table.build();
        ticker = tickers.isResolvable() ? tickers.get() : Ticker.SYSTEM;
        dispatcher = new Dispatcher(built, new Binder(validator()), pusher, registry, config.limits(), config.workers());
        if (config.idleTimeout().toMillis() > 0) {
            idle = new IdleSweeper(registry, config.idleTimeout());
        }
        ContainerLogs.install();
        LOG.info(() -> "wsrv routing " + built.commands().size() + " commands at " + config.path());
    }

    /** Builds the routing table when the application starts, not on the first connection. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // the observer's only job is to make the container create this bean (and run init) now
    }

    @PreDestroy
    void destroy() {
        if (idle != null) {
            idle.close();
        }
        shutdown();
        dispatcher.close();
        ContainerLogs.uninstall();
    }

    void shutdown() {
        for (SessionState s : registry.all()) {
            s.sender().close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    /**
     * Returns the router itself rather than its CDI client proxy, for callers that hold it for the application's
     * lifetime and call it per message (the proxy's context lookup showed in profiles).
     *
     * <p>A method that returned {@code this} would not do: Weld's proxy replaces a returned {@code this} with
     * itself. The instance is handed out as an argument instead, which no proxy rewrites.
     *
     * @param router the router, usually the CDI client proxy
     * @return the instance behind it
     */
    public static Router unproxied(Router router) {
        Router[] instance = new Router[1];
        router.handTo(r -> instance[0] = r);
        return instance[0];
    }

    /**
     * Gives this instance to a consumer; see {@link #unproxied(Router)}.
     *
     * @param sink receives this instance
     */
    public void handTo(java.util.function.Consumer<Router> sink) {
        sink.accept(this);
    }

    /**
     * Returns the application's router through CDI, for endpoints a container created without injection.
     *
     * @return the router
     */
    static Router fromCdi() {
        return unproxied(CDI.current().select(Router.class).get());
    }

    /**
     * Closes every session with 1001; the embedded server calls this before it stops.
     */
    public void closeAll() {
        shutdown();
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
        AdmissionTicket admitted = AdmissionTicket.of(session.getUserPrincipal());
        if (admitted == null || !admitted.open()) {
            // the upgrade did not pass the HandshakeGate (origin, limits and authentication were not checked), or
            // the session came so late that its connection slot was given back
            bypassWarning.warn("wsrv: closed a session whose upgrade request did not pass the handshake gate (path "
                    + LogText.safe(String.valueOf(session.getRequestURI())) + ")" + (admitted == null ? ""
                    : " in time") + "; close 1008");
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "not admitted"));
            } catch (IOException | RuntimeException e) {
                LOG.fine(() -> "wsrv: closing an unadmitted session failed: " + e);
            }
            return null;
        }
        // the IdleSweeper keeps the idle clock, the same on every container; -1 rather than 0, which Tyrus takes
        // for a timeout due at once and schedules anew on every frame in and out
        session.setMaxIdleTimeout(-1);
        session.setMaxTextMessageBufferSize(config.maxMessageSize());
        session.setMaxBinaryMessageBufferSize(config.maxMessageSize());
        session.getUserProperties().putAll(admitted.attributes());
        SessionState state = registry.register(session, config.sendQueueMaxMessages(), config.sendQueueMaxBytes());
        state.admitted(admitted);
        dispatcher.opened(state, admitted.address(), ticker.nanoTime());
        fire(new SessionOpened(state.id()));
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
            LOG.fine(() -> "wsrv session " + state.id() + ": message larger than " + config.maxMessageSize() + " bytes");
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
        if (state == null || !registry.remove(state)) {
            return;
        }
        if (state.admitted() != null) {
            state.admitted().release();
        }
        dispatcher.closed(state);
        state.sender().closedByContainer();
        // the server's own close when it closed the session: what the container reports then depends on a race
        // with the client's echo (1006 or the echoed code)
        CloseReason sent = state.sender().sentClose();
        CloseReason r = sent != null ? sent : reason;
        int code = r == null ? CloseReason.CloseCodes.NO_STATUS_CODE.getCode() : r.getCloseCode().getCode();
        String text = r == null || r.getReasonPhrase() == null ? "" : r.getReasonPhrase();
        fire(new SessionClosed(state.id(), state.user(), code, text));
    }

    /**
     * Logs a transport error of a session; the container closes the session after it.
     *
     * @param state the session, as {@link #open} returned it, or {@code null}
     * @param error the error
     */
    public void error(SessionState state, Throwable error) {
        String id = state == null ? "?" : state.id();
        LOG.log(Level.FINE, error, () -> "wsrv session " + id + ": transport error");
        if (error instanceof IOException || error.getClass().getSimpleName().equals("MessageTooBigException")) {
            // a dropped connection, or a message over the limit that the container answers with 1009: the
            // client's doing, not a server fault
            return;
        }
        // one line, at most one per 10 s: a client that provokes errors must not fill the log with stack traces
        transportWarning.warn("wsrv session " + id + ": transport error " + LogText.safe(String.valueOf(error))
                + " (stack trace at FINE)");
    }

    private void fire(Object event) {
        try {
            events.fire(event);
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

    private Function<Object, List<Problem>> validator() {
        try {
            Class<?> type = Class.forName("jakarta.validation.Validator", false, Router.class.getClassLoader());
            Instance<?> fromCdi = beans.select(type);
            Object v = fromCdi.isResolvable() ? fromCdi.get() : BeanValidation.defaultValidator();
            return BeanValidation.of(v);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            LOG.info(() -> "wsrv: no Bean Validation provider, request data is bound but not validated (" + e + ")");
            return null;
        }
    }
}
