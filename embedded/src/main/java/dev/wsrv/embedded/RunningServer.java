package dev.wsrv.embedded;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.Router;
import dev.wsrv.runtime.WsrvConfigProducer;
import dev.wsrv.runtime.WsrvEndpoint;
import dev.wsrv.runtime.cdi.RouterBean;
import dev.wsrv.runtime.cdi.WsrvExtension;
import dev.wsrv.runtime.handshake.HandshakeGate;
import dev.wsrv.runtime.observe.Observers;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.LocalSessionDirectory;
import dev.wsrv.runtime.session.LocalSessions;
import dev.wsrv.runtime.session.SessionRegistry;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Logger;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * What a started {@link EmbeddedServer} runs: its CDI container, its router and its Tyrus server, started in that
 * order and stopped in the reverse one. Not thread-safe: the server's lock guards it.
 */
final class RunningServer {

    private static final Logger LOG = Logger.getLogger(RunningServer.class.getName());

    private WeldContainer weld;
    private LoopbackTyrusServer http;
    private Router router;

    /**
     * Starts the CDI container and the server; what started before a failure stays for {@link #stop()}.
     */
    void start(EmbeddedServer.Builder settings, WsrvConfig config)
            throws IOException, jakarta.websocket.DeploymentException {
        Weld w = new Weld("wsrv-" + UUID.randomUUID())
                .disableDiscovery()
                .addBeanClasses(RouterBean.class, WsrvConfigProducer.class, SessionRegistry.class,
                        LocalPusher.class, LocalSessions.class, LocalSessionDirectory.class, HandshakeGate.class,
                        Observers.class)
                .addBeanClasses(settings.beanClasses.toArray(Class<?>[]::new))
                .addExtension(new EmbeddedExtension(config, settings.programmatic()))
                .property("org.jboss.weld.se.shutdownHook", false);
        if (settings.scan) {
            // discovery also loads the runtime's extension from META-INF/services
            w.enableDiscovery();
        } else {
            w.addExtension(new WsrvExtension());
        }
        weld = w.initialize();
        router = weld.select(RouterBean.class).get().router();
        http = new LoopbackTyrusServer(settings.host, settings.port, config, settings.staticLoader,
                settings.staticFolder, settings.endpoints, settings.sameThreadIo,
                weld.select(HandshakeGate.class).get(), settings.transport);
        for (HttpText text : settings.texts) {
            WeldContainer beans = weld;
            http.text(text.path(), text.contentType(), () -> text.body().apply(beans));
        }
        for (var route : settings.httpRoutes.entrySet()) {
            http.route(route.getKey(), route.getValue().apply(weld));
        }
        http.start(WsrvEndpoint.config(config.path(), router));
    }

    /** The CDI container, or {@code null} when it did not start. */
    WeldContainer weld() {
        return weld;
    }

    /** The Tyrus server, or {@code null} when it was not made. */
    LoopbackTyrusServer http() {
        return http;
    }

    /**
     * Refuses new upgrades, closes every session with 1001, then stops the server and the CDI container.
     *
     * @return how many sessions were open
     */
    int stop() {
        int sessions = 0;
        if (http != null) {
            // a client reconnecting at once after its 1001 must not open a session that the closing server drops
            http.stopping();
        }
        if (router != null) {
            sessions = weld.select(SessionRegistry.class).get().all().size();
            // the router's own way to stop, as in a WAR: the sessions get 1001 and their close frames are written
            router.close();
            router = null;
            if (http != null) {
                http.awaitConnectionsClosed();
            }
        }
        if (http != null) {
            http.stop();
            http = null;
        }
        if (weld != null) {
            try {
                weld.shutdown();
            } catch (RuntimeException e) {
                LOG.fine(() -> "wsrv: CDI shutdown: " + e);
            }
            weld = null;
        }
        return sessions;
    }
}
