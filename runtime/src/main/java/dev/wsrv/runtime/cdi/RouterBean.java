package dev.wsrv.runtime.cdi;

import dev.wsrv.AppliesTo;
import dev.wsrv.Command;
import dev.wsrv.Middleware;
import dev.wsrv.Push;
import dev.wsrv.Routes;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.Router;
import dev.wsrv.runtime.Ticker;
import dev.wsrv.runtime.WsrvThreads;
import dev.wsrv.runtime.handshake.HandshakeGate;
import dev.wsrv.runtime.observe.Observers;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.runtime.routing.BeanValidation;
import dev.wsrv.runtime.routing.Binder;
import dev.wsrv.runtime.routing.Dispatcher;
import dev.wsrv.runtime.routing.Modes;
import dev.wsrv.runtime.routing.Problem;
import dev.wsrv.runtime.routing.RouteCatalog;
import dev.wsrv.runtime.routing.RouteTable;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.PushesLost;
import dev.wsrv.runtime.session.SessionHandoff;
import dev.wsrv.runtime.session.SessionRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The CDI side of the {@link Router}: builds it when the application starts, from the command beans, middleware
 * beans and {@link Routes} beans it finds, with the application's validator; closes it when the application stops.
 *
 * <p>A duplicate command or a failing {@link Routes} bean fails the start. Endpoints ask it for the router once per
 * session ({@link #router()}), and get the plain object, not a proxy. Thread-safe.
 */
@ApplicationScoped
public class RouterBean {

    private static final Logger LOG = Logger.getLogger(RouterBean.class.getName());

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
    @Inject
    Instance<SessionHandoff> handoffs;
    @Inject
    Observers observers;

    private Router router;
    private RouteCatalog catalog;

    /** Creates the bean; CDI calls this. */
    public RouterBean() {
    }

    @PostConstruct
    void init() {
        RouteTable.Builder table = RouteTable.builder();
        for (Instance.Handle<Middleware> h : middleware.handles()) {
            // the bean class, not getClass(): a normal-scoped bean's instance is a proxy
            Class<?> beanClass = h.getBean().getBeanClass();
            Priority p = beanClass.getAnnotation(Priority.class);
            AppliesTo only = beanClass.getAnnotation(AppliesTo.class);
            table.use(p == null ? DEFAULT_MIDDLEWARE_PRIORITY : p.value(), Modes.declared(beanClass), h.get(),
                    only == null ? new String[0] : only.value());
        }
        for (WsrvExtension.CommandBean cb : extension.commandBeans()) {
            Bean<?> bean = cb.bean();
            Object target = beanManager.getReference(bean, bean.getBeanClass(), beanManager.createCreationalContext(bean));
            for (Method m : cb.methods()) {
                table.command(m.getAnnotation(Command.class).value(), target, m);
            }
        }
        for (Push p : extension.pushes()) {
            table.push(p.value(), p.data());
        }
        for (Routes r : routes) {
            try {
                r.register(table);
            } catch (Exception e) {
                throw new IllegalStateException("wsrv: routes " + r.getClass().getName() + " failed: " + e, e);
            }
        }
        gate.path(); // creates the gate now: a second HandshakeAuthenticator fails the start, not the first upgrade
        RouteTable built = table.build(config.execution());
        catalog = built.catalog();
        WsrvThreads threads = WsrvThreads.of(config.threadFactory());
        WsrvObserver observer = observers.get();
        Dispatcher dispatcher = new Dispatcher(built, new Binder(validator()), pusher, registry, config.limits(),
                config.workers(), threads, observer, config.blockedIoWarn(), config.slowHandlerWarn());
        router = new Router(config, registry, dispatcher, events::fire,
                tickers.isResolvable() ? tickers.get() : Ticker.SYSTEM, threads, observer);
        if (handoffs.isResolvable()) {
            router.handoff(handoffs.get());
        }
        if (observer != null) {
            observer.started(new RegistryView(registry));
        }
        if (threads.resolveEarly()) {
            // found, or no JNDI (embedded): the threads can start now; else the web listener starts them
            router.start();
        }
        LOG.info(() -> "wsrv routing " + built.commands().size() + " commands at " + config.path());
    }

    /** Builds the router when the application starts, not on the first connection. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // the observer's only job is to make the container create this bean (and run init) now
    }

    /** Detached resumable sessions cannot be promised every push once this node missed some. */
    void pushesLost(@Observes PushesLost event) {
        router.pushesLost();
    }

    /**
     * Stops the router before the application's beans are destroyed, in an order CDI does not define: a cluster's
     * transport must still carry the hand-offs of a clean stop (docs/protocol.md#clean-stop-of-a-node).
     */
    void beforeDestroyed(@Observes(notifyObserver = Reception.IF_EXISTS) @BeforeDestroyed(ApplicationScoped.class)
                         Object ignored) {
        router.close();
    }

    @PreDestroy
    void destroy() {
        router.close();
    }

    /**
     * Returns the application's router, the plain object: a caller that holds it calls it directly, without going
     * through this bean's proxy per message.
     *
     * @return the router
     */
    public Router router() {
        return router;
    }

    /**
     * Returns what the routing table knows of the commands' types and the declared pushes.
     *
     * @return the catalog, built at start-up
     */
    public RouteCatalog catalog() {
        return catalog;
    }

    /**
     * Returns the application's router through CDI, for endpoints a container created without injection.
     *
     * @return the router
     */
    public static Router fromCdi() {
        return CDI.current().select(RouterBean.class).get().router();
    }

    private Function<Object, List<Problem>> validator() {
        try {
            Class<?> type = Class.forName("jakarta.validation.Validator", false, RouterBean.class.getClassLoader());
            Instance<?> fromCdi = beans.select(type);
            Object v = fromCdi.isResolvable() ? fromCdi.get() : BeanValidation.defaultValidator();
            return BeanValidation.of(v);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            LOG.info(() -> "wsrv: no Bean Validation provider, request data is bound but not validated (" + e + ")");
            return null;
        }
    }
}
