package dev.wsrv.it.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.opentest4j.TestAbortedException;

/**
 * The places the demo runs for the cross-container suite, each started once per test JVM on first use and
 * stopped when the JVM exits. All run with the same settings, so that one test expects the same everywhere.
 */
public final class Targets {

    /** The idle timeout every target runs with: short, so that the idle test is quick. */
    public static final Duration IDLE = Duration.ofSeconds(4);

    /** The connections per client address every target allows: low, so that the limit test is quick. */
    public static final int CONNECTIONS_PER_ADDRESS = 40;

    /** The key every target signs the demo's tokens with, so that the tests can make tokens of their own. */
    public static final String TOKEN_KEY = java.util.UUID.randomUUID().toString();

    private static final Map<String, String> APP = Map.of("wsrv.idleTimeoutMs", String.valueOf(IDLE.toMillis()),
            "wsrv.limits.connectionsPerAddress", String.valueOf(CONNECTIONS_PER_ADDRESS),
            "wsrv.demo.tokenKey", TOKEN_KEY,
            // the demo's virtual thread factory runs the handlers (ThreadsTest says what each server makes of it)
            "wsrv.workers.threadFactory", "java:app/demo/virtualThreads");

    private static final Lazy EMBEDDED = new Lazy("embedded", () -> {
        // the embedded demo runs in this JVM and reads its key from the system property
        System.setProperty("wsrv.demo.tokenKey", TOKEN_KEY);
        return EmbeddedTarget.start(IDLE, CONNECTIONS_PER_ADDRESS);
    });
    private static final Lazy PAYARA = appServer("payara", () -> PayaraMicroTarget.start(APP, ""));
    private static final Lazy WILDFLY = appServer("wildfly", () -> WildFlyTarget.start(APP, ""));
    // Jakarta EE 11 servers: they need Java 21+, which the tests' own JVM need not be
    private static final Lazy PAYARA7 = appServer("payara7", () -> PayaraMicroTarget.start("payara7", "it.payara7.jar",
            ee11Java(), APP, ""));
    private static final Lazy WILDFLY39 = appServer("wildfly39", () -> WildFlyTarget.start("wildfly39",
            "it.wildfly39.home", ee11Java(), APP, ""));
    private static final Lazy GLASSFISH8 = appServer("glassfish8", () -> GlassFishTarget.start("glassfish8",
            "it.glassfish8.home", ee11Java(), APP, ""));

    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private static final List<Lazy> APP_SERVERS = List.of(PAYARA, WILDFLY, PAYARA7, WILDFLY39, GLASSFISH8);

    private Targets() {
    }

    /** Every target, for {@code @MethodSource("dev.wsrv.it.target.Targets#all")}; started on first use. */
    public static Stream<Arguments> all() {
        return everyTarget().map(Targets::named);
    }

    /** The application servers, which also run the demo's JAX-RS resource. */
    public static Stream<Arguments> appServers() {
        return APP_SERVERS.stream().map(Targets::named);
    }

    /** Every target combined with each of the given values, for tests parametrised twice. */
    public static Stream<Arguments> allWith(Object... values) {
        return everyTarget().flatMap(lazy -> Stream.of(values)
                .map(v -> Arguments.of(Named.of(lazy.name, lazy), v)));
    }

    private static Stream<Lazy> everyTarget() {
        return Stream.concat(Stream.of(EMBEDDED), APP_SERVERS.stream());
    }

    /**
     * An application server target, skipped (with one line in the output) when this test run leaves the servers out:
     * {@code -Dit.appServers=off}, as the build's second run on Java 21+ does.
     */
    private static Lazy appServer(String name, Supplier<Target> start) {
        return new Lazy(name, () -> {
            if ("off".equals(System.getProperty("it.appServers"))) {
                throw skipped("application servers are off in this run (-Dit.appServers=off): the suite's "
                        + "main run tests them");
            }
            return start.get();
        });
    }

    /** The Java that runs the Jakarta EE 11 servers, or a skip of every test that needs one. */
    private static Path ee11Java() {
        return JavaHomes.java21().orElseThrow(() -> skipped("Jakarta EE 11 targets (payara7, wildfly39, glassfish8) "
                + "skipped: they need Java " + JavaHomes.EE11_MINIMUM + " or newer, and there is none in $JAVA21_HOME "
                + "or /usr/lib/jvm/* (README, Run the tests)"));
    }

    /** Skips the test that asked for a target; the reason is printed once per run, not once per test. */
    private static TestAbortedException skipped(String reason) {
        if (REPORTED.add(reason)) {
            System.out.println("[it-tests] " + reason);
        }
        return new TestAbortedException(reason);
    }

    private static Arguments named(Lazy lazy) {
        // the server starts when the test runs, not when JUnit lists the tests
        return Arguments.of(Named.of(lazy.name, lazy));
    }

    /** A target that starts on first use; tests take it as a parameter and call {@link #get()}. */
    public static final class Lazy {
        private final String name;
        private final Supplier<Target> start;
        private Target target;
        private RuntimeException failure;

        Lazy(String name, Supplier<Target> start) {
            this.name = name;
            this.start = start;
        }

        /** Starts the target the first time, and returns it. */
        public synchronized Target get() {
            if (failure != null) {
                // a server that failed to start fails every test that needs it, with the first cause
                throw failure;
            }
            if (target == null) {
                try {
                    Target t = start.get();
                    Runtime.getRuntime().addShutdownHook(new Thread(t::close, "stop-" + t.name()));
                    target = t;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return target;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
