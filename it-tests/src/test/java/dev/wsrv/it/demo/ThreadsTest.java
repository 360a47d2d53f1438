package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.Targets;
import jakarta.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The threads that run the handlers, with {@code wsrv.workers.threadFactory} naming the demo's
 * {@code @ManagedThreadFactoryDefinition(virtual = true)}: virtual threads where the server honours it, the
 * container's managed platform threads where it does not, wsrv's own on the embedded server, which has no JNDI.
 */
@Timeout(300)
class ThreadsTest {

    /** The servers that make virtual threads for a {@code virtual = true} definition. */
    private static final Set<String> VIRTUAL = Set.of("payara7", "glassfish8");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void handlersRunOnTheThreadsTheServerMakesForTheConfiguredFactory(Targets.Lazy lazy) throws Exception {
        String kind = lazy.toString();
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            JsonObject reply = c.request("thread", "t1", "{}");
            assertThat(reply.getInt("status")).isZero();
            JsonObject thread = reply.getJsonObject("data");
            assertThat(thread.getString("name")).startsWith("wsrv-worker-");
            assertThat(thread.getBoolean("virtual")).isEqualTo(VIRTUAL.contains(kind));
            // a virtual thread of the container carries no managed marker; wsrv never makes virtual threads itself
            assertThat(thread.getBoolean("managed")).isEqualTo(!kind.equals("embedded") && !VIRTUAL.contains(kind));
        }
    }
}
