package dev.wsrv.test;

import dev.wsrv.Sessions;
import dev.wsrv.client.WsrvClient;
import dev.wsrv.embedded.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WsrvTest}: an embedded wsrv server on a free port of 127.0.0.1, a client
 * connected to it for each test, and a {@link PushRecorder} of that client.
 *
 * <p>Registered in a static {@code @RegisterExtension} field, it takes the whole server set-up in code:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final WsrvTestExtension wsrv = WsrvTestExtension.perClass(server -> server
 *         .beanClasses(ChatCommands.class)
 *         .idleTimeout(Duration.ofSeconds(2)));
 *
 * @Test
 * void join() {
 *     wsrv.client().call("join", Map.of("room", "lobby"));
 * }
 * }</pre>
 *
 * <p>The set-up always gets a builder with port 0 and host 127.0.0.1; it may change anything else. Parameters of
 * test and lifecycle methods of type {@code WsrvClient}, {@link PushRecorder}, {@code EmbeddedServer} and
 * {@code URI} are resolved from it. The client is connected when first asked for in a test and closed after that
 * test (after its {@code @AfterEach} methods), so every test has a session of its own; a per-class server is
 * closed after the class's {@code @AfterAll} methods, a per-method one after the test's {@code @AfterEach} methods.
 * While a server runs, the containers' INFO lines are turned down ({@link dev.wsrv.test the package} says how to
 * keep them). One instance serves one test class, whose tests it expects to run one at a time.
 */
public final class WsrvTestExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private Consumer<EmbeddedServer.Builder> setup;
    private Boolean perMethod;
    private EmbeddedServer server;
    /** How long a new client waits for the server to have its session. */
    private static final Duration OPEN_WAIT = Duration.ofSeconds(5);
    private WsrvClient client;
    private PushRecorder pushes;

    /** Creates the extension that {@link WsrvTest} registers; it reads its settings from that annotation. */
    public WsrvTestExtension() {
    }

    private WsrvTestExtension(Consumer<EmbeddedServer.Builder> setup, boolean perMethod) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.perMethod = perMethod;
    }

    /**
     * Creates an extension whose server the tests of the class share; register it in a static field.
     *
     * @param setup sets up the server's builder (beans, settings, code handlers), not null
     * @return the extension
     */
    public static WsrvTestExtension perClass(Consumer<EmbeddedServer.Builder> setup) {
        return new WsrvTestExtension(setup, false);
    }

    /**
     * Creates an extension that starts a server of its own for every test.
     *
     * @param setup sets up the server's builder (beans, settings, code handlers), not null
     * @return the extension
     */
    public static WsrvTestExtension perMethod(Consumer<EmbeddedServer.Builder> setup) {
        return new WsrvTestExtension(setup, true);
    }

    /**
     * Returns the running server.
     *
     * @return the server
     * @throws IllegalStateException when no server runs (outside the tests it serves)
     */
    public EmbeddedServer server() {
        if (server == null) {
            throw new IllegalStateException("no wsrv server runs now: it runs during the tests of its class");
        }
        return server;
    }

    /**
     * Returns the server's WebSocket address.
     *
     * @return for example {@code ws://127.0.0.1:41234/ws}
     * @throws IllegalStateException when no server runs
     */
    public URI uri() {
        return server().uri();
    }

    /**
     * Returns the current test's client, connecting it when first asked for.
     *
     * @return the client, closed after the test
     * @throws IllegalStateException when no server runs
     */
    public synchronized WsrvClient client() {
        if (client == null) {
            Sessions sessions = server().container().select(Sessions.class).get();
            Set<String> before = sessions.ids();
            client = WsrvClient.connect(uri());
            pushes = PushRecorder.of(client);
            awaitNewSession(sessions, before);
        }
        return client;
    }

    /**
     * Waits, at most {@link #OPEN_WAIT}, until the server has a session it did not have before: the container calls
     * the server's open after the client has the handshake's answer, and a push the test sends at once must find the
     * session. Gives up silently at the limit, so that a test of a refused session still runs.
     */
    private static void awaitNewSession(Sessions sessions, Set<String> before) {
        long end = System.nanoTime() + OPEN_WAIT.toNanos();
        while (before.containsAll(sessions.ids()) && System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Returns the recorder of the pushes that the current test's {@link #client()} receives (connecting it).
     *
     * @return the recorder
     * @throws IllegalStateException when no server runs
     */
    public synchronized PushRecorder pushes() {
        client();
        return pushes;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        configure(context);
        if (!perMethod) {
            start();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        configure(context);
        if (perMethod) {
            start();
        } else if (server == null) {
            throw new ExtensionConfigurationException("a WsrvTestExtension.perClass(...) in a @RegisterExtension field "
                    + "needs a static field, since JUnit starts instance fields' extensions per test");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeClient();
        if (perMethod) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeClient();
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == WsrvClient.class || type == PushRecorder.class || type == EmbeddedServer.class
                || type == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (server == null) {
            throw new ParameterResolutionException("no wsrv server runs yet for " + parameter.getDeclaringExecutable()
                    + (perMethod != null && perMethod ? ": with a server per test, it starts after @BeforeAll" : ""));
        }
        if (type == EmbeddedServer.class) {
            return server;
        }
        if (type == URI.class) {
            return server.uri();
        }
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a " + type.getSimpleName() + " belongs to one test: ask for it in "
                    + "a @Test, @BeforeEach or @AfterEach method, not in " + parameter.getDeclaringExecutable());
        }
        return type == WsrvClient.class ? client() : pushes();
    }

    private void configure(ExtensionContext context) {
        if (setup != null) {
            return;
        }
        Optional<WsrvTest> annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WsrvTest.class);
        if (annotation.isEmpty()) {
            throw new ExtensionConfigurationException("WsrvTestExtension needs @WsrvTest on the test class, or "
                    + "WsrvTestExtension.perClass(...) / perMethod(...) in a @RegisterExtension field");
        }
        Class<?>[] beans = annotation.get().beans();
        setup = b -> b.beanClasses(beans);
        perMethod = annotation.get().perMethod();
    }

    private void start() {
        if (server != null) {
            return;
        }
        QuietContainerLogs.acquire();
        try {
            EmbeddedServer.Builder builder = EmbeddedServer.builder().host("127.0.0.1").port(0);
            setup.accept(builder);
            server = builder.start();
        } catch (RuntimeException | Error e) {
            QuietContainerLogs.release();
            throw e;
        }
    }

    private synchronized void closeClient() {
        if (client != null) {
            pushes.close();
            client.close();
            client = null;
            pushes = null;
        }
    }

    private void stop() {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
                QuietContainerLogs.release();
            }
        }
    }
}
