package dev.wsrv.embedded;

import dev.wsrv.Execution;
import dev.wsrv.Handler;
import dev.wsrv.Middleware;
import dev.wsrv.Routes;
import jakarta.enterprise.inject.Instance;
import dev.wsrv.WsrvConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.logging.Logger;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The wsrv endpoint on embedded Tyrus (Grizzly) with Weld SE: for tests and small services.
 *
 * <p>It binds to 127.0.0.1 unless told otherwise. Handler and middleware beans are the classes given to
 * {@link Builder#beanClasses}; the class path is not scanned unless {@link Builder#scanClassPath} is set.
 * {@link #close()} closes every session with 1001 and stops the server. Each instance has its own CDI
 * container, so several servers can run in one JVM.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(MyHandlers.class).start()) {
 *     URI uri = server.uri();   // ws://127.0.0.1:<port>/ws
 * }
 * }</pre>
 *
 * <p>As an application, {@link #awaitShutdown()} keeps the main thread until the JVM is stopped:
 *
 * <pre>{@code
 * EmbeddedServer.builder().beanClasses(MyHandlers.class).start().awaitShutdown();
 * }</pre>
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class.getName());

    private final Builder settings;
    private final WsrvConfig config;
    private RunningServer running;
    private CountDownLatch closed = new CountDownLatch(1);
    private ShutdownHook hook;
    private boolean listening;

    private EmbeddedServer(Builder b) {
        this.settings = b;
        this.config = b.config;
    }

    /**
     * Starts a builder with the defaults: host 127.0.0.1, port 8800, path {@code /ws}, the settings of
     * {@link WsrvConfig#fromEnvironment()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the CDI container and the server.
     *
     * @return this server
     * @throws IllegalStateException if the application does not deploy (for example a duplicate command) or
     *     the port cannot be bound; nothing is left running
     */
    public synchronized EmbeddedServer start() {
        if (running != null) {
            return this;
        }
        closed = new CountDownLatch(1);
        running = new RunningServer();
        try {
            running.start(settings, config);
            listening = true;
            LOG.info(() -> "wsrv listening on " + uri());
            return this;
        } catch (RuntimeException | IOException | jakarta.websocket.DeploymentException e) {
            close();
            // CDI wraps a failing start-up in its own exceptions: lead with the root cause, which says what is wrong
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("wsrv: cannot start: " + root.getMessage(), e);
        }
    }

    /**
     * Returns the WebSocket URI clients connect to.
     *
     * @return for example {@code ws://127.0.0.1:8800/ws}
     * @throws IllegalStateException before {@link #start()}
     */
    public URI uri() {
        InetSocketAddress a = address();
        return URI.create("ws://" + hostLiteral(a) + ":" + a.getPort() + config.path());
    }

    /**
     * Returns the HTTP base URI, where static resources are served.
     *
     * @return for example {@code http://127.0.0.1:8800/}
     * @throws IllegalStateException before {@link #start()}
     */
    public URI httpUri() {
        InetSocketAddress a = address();
        return URI.create("http://" + hostLiteral(a) + ":" + a.getPort() + "/");
    }

    /**
     * Returns the address the server listens on.
     *
     * @return the bound address and port
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        if (running == null || running.http() == null) {
            throw new IllegalStateException("not started");
        }
        return running.http().address();
    }

    /**
     * Returns the CDI container, to look up beans such as {@code Pusher} in tests.
     *
     * @return the container
     * @throws IllegalStateException before {@link #start()}
     */
    public WeldContainer container() {
        if (running == null || running.weld() == null) {
            throw new IllegalStateException("not started");
        }
        return running.weld();
    }

    /**
     * Returns the settings in force.
     *
     * @return the settings
     */
    public WsrvConfig config() {
        return config;
    }

    /**
     * Blocks until this server is closed: by {@link #close()} on another thread, or by the JVM's shutdown (Ctrl-C,
     * SIGTERM, {@code System.exit}), for which the first call installs a shutdown hook that closes the server. The
     * hook closes the sessions with 1001 and stops the CDI container, so {@code @PreDestroy} methods and
     * {@code Shutdown} observers run, and the lines logged meanwhile reach the root logger's console handler
     * (java.util.logging's own hook would otherwise remove it first). Returns at once when the server is closed
     * already. Thread-safe; any number of threads may wait.
     *
     * @throws IllegalStateException before {@link #start()}
     * @throws InterruptedException if the waiting thread is interrupted; the server keeps running
     */
    public void awaitShutdown() throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            if (running == null) {
                if (closed.getCount() == 0) {
                    return; // closed already, perhaps just before this thread got here
                }
                throw new IllegalStateException("not started");
            }
            if (hook == null) {
                hook = new ShutdownHook(this::close);
            }
            latch = closed;
        }
        latch.await();
    }

    /**
     * Refuses new upgrades (503 {@code stopping}), closes every session with 1001 (going away), then stops the server
     * and the CDI container, and logs that it stopped. Closing a closed server does nothing.
     */
    @Override
    public synchronized void close() {
        boolean wasListening = listening;
        listening = false;
        int sessions = running == null ? 0 : running.stop();
        running = null;
        if (hook != null) {
            hook.remove();
            hook = null;
        }
        if (wasListening) {
            int n = sessions;
            LOG.info(() -> "wsrv stopped" + (n == 0 ? "" : " after closing " + n + (n == 1 ? " session" : " sessions")));
        }
        closed.countDown();
    }

    private static String hostLiteral(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** Settings of an {@link EmbeddedServer}; not thread-safe. */
    public static final class Builder {
        String host = "127.0.0.1";
        int port = 8800;
        WsrvConfig config = WsrvConfig.fromEnvironment();
        TransportConfig transport = TransportConfig.fromEnvironment();
        final List<Class<?>> beanClasses = new ArrayList<>();
        private final List<Routes> routes = new ArrayList<>();
        boolean scan;
        ClassLoader staticLoader;
        String staticFolder;
        final List<Class<?>> endpoints = new ArrayList<>();
        final List<HttpText> texts = new ArrayList<>();
        final Map<String, Function<Instance<Object>, HttpRoute>> httpRoutes = new LinkedHashMap<>();
        boolean sameThreadIo;

        private Builder() {
        }

        /**
         * Sets the address to bind; 127.0.0.1 by default. Binding elsewhere exposes the server beyond this machine.
         *
         * @param host a host name or IP literal
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port; 8800 by default, 0 for any free port.
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the endpoint path; {@code /ws} by default.
         *
         * @param path the path, starting with {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            config = config.with("wsrv.path", path);
            return this;
        }

        /**
         * Sets the idle timeout; 30 s by default.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            config = config.with("wsrv.idleTimeoutMs", timeout);
            return this;
        }

        /**
         * Replaces every setting.
         *
         * @param config the settings
         * @return this builder
         */
        public Builder config(WsrvConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Replaces the bounds on connections below the WebSocket layer; {@link TransportConfig#fromEnvironment()} by
         * default.
         *
         * @param transport the bounds
         * @return this builder
         */
        public Builder transport(TransportConfig transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Adds CDI bean classes: handler beans, middleware, observers, services.
         *
         * @param classes the classes
         * @return this builder
         */
        public Builder beanClasses(Class<?>... classes) {
            beanClasses.addAll(Arrays.asList(classes));
            return this;
        }

        /**
         * Also discovers the bean archives (jars with {@code META-INF/beans.xml}) of the class path.
         *
         * @param scan whether to scan
         * @return this builder
         */
        public Builder scanClassPath(boolean scan) {
            this.scan = scan;
            return this;
        }

        /**
         * Registers a handler in code, like the Go {@code server.Handle(cmd, fn)}.
         *
         * @param cmd the command
         * @param handler the handler
         * @return this builder
         */
        public Builder handle(String cmd, Handler handler) {
            Objects.requireNonNull(handler, "handler");
            routes.add(r -> r.handle(cmd, handler));
            return this;
        }

        /**
         * Registers a handler in code with its execution mode (README, "Where a handler runs").
         *
         * @param cmd the command
         * @param mode where it runs
         * @param handler the handler
         * @return this builder
         */
        public Builder handle(String cmd, Execution mode, Handler handler) {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(handler, "handler");
            routes.add(r -> r.handle(cmd, mode, handler));
            return this;
        }

        /**
         * Registers a middleware in code, like the Go {@code server.Use(fn)}.
         *
         * @param priority its place, lowest first
         * @param middleware the middleware
         * @param onlyFor the commands it runs for; none means all
         * @return this builder
         */
        public Builder use(int priority, Middleware middleware, String... onlyFor) {
            Objects.requireNonNull(middleware, "middleware");
            routes.add(r -> r.use(priority, middleware, onlyFor));
            return this;
        }

        /**
         * Registers a middleware in code with the execution mode it needs (README, "Where a handler runs").
         *
         * @param priority its place, lowest first
         * @param mode where it needs to run
         * @param middleware the middleware
         * @param onlyFor the commands it runs for; none means all
         * @return this builder
         */
        public Builder use(int priority, Execution mode, Middleware middleware, String... onlyFor) {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(middleware, "middleware");
            routes.add(r -> r.use(priority, mode, middleware, onlyFor));
            return this;
        }

        /**
         * Serves static files from a class path folder at the HTTP root, for example a playground page.
         *
         * @param loader the class loader
         * @param folder the folder, for example {@code webapp/}
         * @return this builder
         */
        public Builder staticResources(ClassLoader loader, String folder) {
            this.staticLoader = Objects.requireNonNull(loader, "loader");
            this.staticFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Also deploys a plain annotated {@code @ServerEndpoint} class on the same server, outside wsrv (no router,
         * no CDI); Tyrus creates its instances. Meant for benchmarks that compare wsrv with a raw endpoint.
         *
         * @param annotatedEndpoint a class annotated with {@code jakarta.websocket.server.ServerEndpoint}
         * @return this builder
         */
        public Builder endpoint(Class<?> annotatedEndpoint) {
            Objects.requireNonNull(annotatedEndpoint, "annotatedEndpoint");
            if (!annotatedEndpoint.isAnnotationPresent(jakarta.websocket.server.ServerEndpoint.class)) {
                throw new IllegalArgumentException(annotatedEndpoint.getName() + " has no @ServerEndpoint");
            }
            endpoints.add(annotatedEndpoint);
            return this;
        }

        /**
         * Also answers HTTP GET (and HEAD) requests for one path with text the application computes per request, for
         * example a metrics scrape at {@code /metrics} or the AsyncAPI document of {@code wsrv-asyncapi} at
         * {@code /ws/asyncapi.json}; on the server's own address, like everything it serves. Other methods get 405.
         *
         * @param path the exact path, starting with {@code /}
         * @param contentType the response's content type, for example {@code text/plain; version=0.0.4}
         * @param body computes the response body from the application's beans, on a transport thread, per request
         * @return this builder
         */
        public Builder httpText(String path, String contentType, Function<Instance<Object>, String> body) {
            texts.add(new HttpText(path, contentType, body));
            return this;
        }

        /**
         * Also hands every HTTP request whose path is {@code prefix} or lies under it to a route, for example the
         * operator console of {@code wsrv-console}; on the server's own address, like everything it serves.
         *
         * @param prefix the path prefix, starting with {@code /}, such as {@code /console}
         * @param route makes the route from the application's beans, once, when the server starts
         * @return this builder
         */
        public Builder http(String prefix, Function<Instance<Object>, HttpRoute> route) {
            Objects.requireNonNull(route, "route");
            if (!prefix.startsWith("/") || prefix.length() < 2 || prefix.endsWith("/")) {
                throw new IllegalArgumentException("the prefix must start with / and not end with one: " + prefix);
            }
            httpRoutes.put(prefix, route);
            return this;
        }

        /**
         * Runs message handling on Grizzly's selector threads ({@code SameThreadIOStrategy}) instead of its worker
         * threads; off by default. Faster, but safe only when no handler or middleware ever blocks: one blocking
         * call stalls every connection of that selector.
         *
         * @param sameThread whether to handle messages on the selector threads
         * @return this builder
         */
        public Builder sameThreadIo(boolean sameThread) {
            this.sameThreadIo = sameThread;
            return this;
        }

        /**
         * Builds the server without starting it.
         *
         * @return the server
         */
        public EmbeddedServer build() {
            return new EmbeddedServer(this);
        }

        /**
         * Builds and starts the server.
         *
         * @return the started server
         */
        public EmbeddedServer start() {
            return build().start();
        }

        Routes programmatic() {
            List<Routes> copy = List.copyOf(routes);
            return r -> {
                for (Routes each : copy) {
                    each.register(r);
                }
            };
        }
    }
}
