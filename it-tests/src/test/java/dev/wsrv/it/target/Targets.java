package dev.wsrv.it.target;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The places the demo runs for the cross-container suite, each started once per test JVM on first use and
 * stopped when the JVM exits. All run with the same settings, so that one test expects the same everywhere.
 */
public final class Targets {

    /** The idle timeout every target runs with: short, so that the idle test is quick. */
    public static final Duration IDLE = Duration.ofSeconds(4);

    /** The connections per client address every target allows: low, so that the limit test is quick. */
    public static final int CONNECTIONS_PER_ADDRESS = 40;

    private static final Map<String, String> APP = Map.of("wsrv.idleTimeoutMs", String.valueOf(IDLE.toMillis()),
            "wsrv.limits.connectionsPerAddress", String.valueOf(CONNECTIONS_PER_ADDRESS));

    private static final Lazy EMBEDDED = new Lazy("embedded", () -> EmbeddedTarget.start(IDLE, CONNECTIONS_PER_ADDRESS));
    private static final Lazy PAYARA = new Lazy("payara", () -> PayaraMicroTarget.start(APP, ""));
    private static final Lazy WILDFLY = new Lazy("wildfly", () -> WildFlyTarget.start(APP, ""));

    private Targets() {
    }

    /** Every target, for {@code @MethodSource("dev.wsrv.it.target.Targets#all")}; started on first use. */
    public static Stream<Arguments> all() {
        return Stream.of(EMBEDDED, PAYARA, WILDFLY).map(Targets::named);
    }

    /** The application servers, which also run the demo's JAX-RS resource. */
    public static Stream<Arguments> appServers() {
        return Stream.of(PAYARA, WILDFLY).map(Targets::named);
    }

    /** Every target combined with each of the given values, for tests parametrised twice. */
    public static Stream<Arguments> allWith(Object... values) {
        return Stream.of(EMBEDDED, PAYARA, WILDFLY).flatMap(lazy -> Stream.of(values)
                .map(v -> Arguments.of(Named.of(lazy.name, lazy), v)));
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
