package dev.wsrv.embedded;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.handshake.HandshakeGate;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Tyrus on a Grizzly HTTP server whose listener binds the given host.
 *
 * <p>Tyrus' own {@code Server} ignores its host and listens on 0.0.0.0 (eclipse-ee4j/tyrus#593), so this
 * assembles the same parts with the listener bound where asked. Handlers run on Grizzly's worker threads
 * ({@link WorkerThreadIOStrategy}), never on the selector threads, because handlers may block; benchmarks may
 * choose {@link SameThreadIOStrategy}, which is safe only for handlers that never block.
 */
final class LoopbackTyrusServer {

    private final String host;
    private final int port;
    private final WsrvConfig config;
    private final ClassLoader staticLoader;
    private final String staticFolder;
    private final List<Class<?>> extraEndpoints;
    private final boolean sameThreadIo;
    private final HandshakeGate gate;
    private final TransportGuard guard;
    private HttpServer server;
    private final Map<String, HttpHandler> texts = new LinkedHashMap<>();
    private NetworkListener listener;
    private Container container;

    LoopbackTyrusServer(String host, int port, WsrvConfig config, ClassLoader staticLoader, String staticFolder,
                        List<Class<?>> extraEndpoints, boolean sameThreadIo, HandshakeGate gate,
                        TransportConfig transport) {
        this.gate = gate;
        this.guard = new TransportGuard(transport, config);
        this.extraEndpoints = List.copyOf(extraEndpoints);
        this.sameThreadIo = sameThreadIo;
        this.host = host;
        this.port = port;
        this.config = config;
        this.staticLoader = staticLoader;
        this.staticFolder = staticFolder;
    }

    /**
     * Answers GET and HEAD requests for {@code path} with the text {@code body} computes per request; other methods
     * get 405. Before {@link #start} only.
     */
    void text(String path, String contentType, Supplier<String> body) {
        texts.put(path, new HttpHandler() {
            @Override
            public void service(Request request, Response response) throws Exception {
                if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
                    response.setStatus(405);
                    response.setHeader("Allow", "GET, HEAD");
                    return;
                }
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                response.setContentType(contentType);
                response.setContentLength(bytes.length);
                if (request.getMethod() == Method.GET) {
                    response.getOutputStream().write(bytes);
                }
            }
        });
    }

    /**
     * Hands every request under {@code prefix} to {@code route}. Before {@link #start} only.
     */
    void route(String prefix, HttpRoute route) {
        texts.put(prefix, new RouteHandler(route));
    }

    void start(ServerEndpointConfig endpoint) throws IOException, DeploymentException {
        // the TransportGuard closes a connection with 1009 on the header of a frame over the size limit and hands
        // Tyrus one frame at a time, so Tyrus never needs to buffer more than the largest allowed frame
        container = new Container((int) Math.min(Integer.MAX_VALUE, config.maxMessageSize() + 14L), gate,
                InetAddress.getByName(host).getHostAddress());
        // Tyrus schedules a session's idle check at once when the session is created, before onOpen sets the
        // session's own timeout; with a default of 0 that check could close a brand-new session as idle
        container.setDefaultMaxSessionIdleTimeout(config.idleTimeout().toMillis());
        server = new HttpServer();
        listener = new NetworkListener("wsrv", host, port);
        listener.getTransport().setIOStrategy(
                sameThreadIo ? SameThreadIOStrategy.getInstance() : WorkerThreadIOStrategy.getInstance());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        // Grizzly's own bound on a connection's queued writes (by default four times the socket's send buffer) would
        // drop frames without closing the connection; wsrv.transport.maxOutboundBytes is the one bound, enforced by
        // the ConnectionGuard, which closes with 1013
        listener.setMaxPendingBytes(-1);
        listener.registerAddOn(webSocketAddOn(container));
        listener.registerAddOn(guard); // after Tyrus' add-on: it places itself just before Tyrus' filter
        server.addListener(listener);
        if (staticLoader != null) {
            CLStaticHttpHandler files = new CLStaticHttpHandler(staticLoader, "/" + staticFolder.replaceAll("^/|/$", "") + "/");
            files.setFileCacheEnabled(false);
            server.getServerConfiguration().addHttpHandler(files, "/");
        }
        texts.forEach((path, handler) -> server.getServerConfiguration().addHttpHandler(handler,
                handler instanceof RouteHandler
                        ? HttpHandlerRegistration.builder().contextPath(path).urlPattern("/*").build()
                        : HttpHandlerRegistration.builder().urlPattern(path).build()));
        server.start();
        container.start("/", listener.getPort());
        container.register(endpoint);
        for (Class<?> extra : extraEndpoints) {
            container.register(extra);
        }
        guard.ready();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, listener.getPort());
    }

    /** Refuses upgrades from now on (503 {@code stopping}); the open connections go on. */
    void stopping() {
        guard.stopping();
    }

    /**
     * Waits (boundedly) until every WebSocket connection has written its close frame and closed its socket.
     */
    void awaitConnectionsClosed() {
        guard.awaitClosed(ConnectionGuard.WRITE_GRACE.plus(ConnectionGuard.CLOSE_GRACE));
    }

    void stop() {
        guard.stop();
        if (container != null) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                // the HTTP server is stopped below whatever the container did
            }
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static AddOn webSocketAddOn(ServerContainer container) {
        try {
            // package-private in Tyrus 2.1.6
            Constructor<?> c = Class.forName("org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn")
                    .getDeclaredConstructor(ServerContainer.class, String.class);
            c.setAccessible(true);
            return (AddOn) c.newInstance(container, "/");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("wsrv: this Tyrus version has no usable WebSocketAddOn", e);
        }
    }

    /** A Tyrus server container whose engine, behind the handshake gate, the add-on above routes upgrades to. */
    private static final class Container extends TyrusServerContainer {
        private final WebSocketEngine engine;

        Container(int incomingBufferSize, HandshakeGate gate, String localAddress) {
            super((Set<Class<?>>) null);
            engine = new GatedEngine(TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build(),
                    gate, localAddress);
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "/");
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, "/");
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }

        /**
         * Tyrus reschedules a session's idle check on this executor at every frame in and out and cancels the last
         * one; a cancelled check would stay in the executor's queue until its time came (the idle timeout, 30 s),
         * hundreds of thousands of them at load, which the heap carries and the queue sorts: removed at once instead.
         */
        @Override
        public ScheduledExecutorService getScheduledExecutorService() {
            ScheduledExecutorService service = super.getScheduledExecutorService();
            if (service instanceof ScheduledThreadPoolExecutor pool && !pool.getRemoveOnCancelPolicy()) {
                pool.setRemoveOnCancelPolicy(true);
            }
            return service;
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }
    }
}
