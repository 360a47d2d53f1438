package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.core.ModesOnServers;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.EmbeddedTarget;
import dev.wsrv.it.target.GlassFishTarget;
import dev.wsrv.it.target.JavaHomes;
import dev.wsrv.it.target.PayaraMicroTarget;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.WildFlyTarget;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container's idle timer behind wsrv's (docs/protocol.md#heartbeat-and-idle-timeout), on every target: each
 * session reports the configured timeout from {@code Session.getMaxIdleTimeout()}, and with wsrv's idle sweeper off
 * ({@code wsrv.idleSweeper=OFF}) the container still closes a silent session, with a close frame of its own (Tyrus
 * 1000 with its reason, Undertow 1001). With the sweeper on, {@code DemoTest} shows wsrv's 1000 {@code idle timeout}
 * comes first on the same containers. The application servers started here also run the checks of
 * {@link ModesOnServers}: where each execution mode runs there and that a session's requests keep their order.
 */
@Timeout(300)
class IdleBackstopTest {

    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Map<String, String> SETTINGS = Map.of("wsrv.idleTimeoutMs", String.valueOf(IDLE.toMillis()),
            "wsrv.idleSweeper", "OFF");
    /** Tyrus' reason, quotes included. */
    private static final String TYRUS_REASON = "\"Session closed by the container because of the idle timeout.\"";

    /** The idle settings, and those of the execution modes' checks, which share an application server. */
    private static Map<String, String> withModes() {
        Map<String, String> settings = new HashMap<>(ModesOnServers.SETTINGS);
        settings.putAll(SETTINGS);
        return Map.copyOf(settings);
    }

    static Target start(String kind) {
        Assumptions.assumeTrue(kind.equals("embedded") || !"off".equals(System.getProperty("it.appServers")),
                "application servers are off in this run");
        List<Class<?>> extras = new ArrayList<>(List.of(IdleTimeoutCommand.class));
        extras.addAll(List.of(ModesOnServers.warClasses()));
        Path war = OwnInstanceTest.demoWarWith("demo.war", extras.toArray(Class<?>[]::new));
        Duration bound = Duration.ofSeconds(120);
        int port = kind.equals("embedded") ? 0 : Target.freePorts(1)[0];
        return switch (kind) {
            case "embedded" -> EmbeddedTarget.start(SETTINGS, List.of(IdleTimeoutCommand.class));
            case "payara" -> new PayaraMicroTarget(kind, Target.requiredPath("it.payara.jar"), JavaHomes.running(),
                    war, port, withModes(), "", bound);
            case "wildfly" -> new WildFlyTarget(kind, Target.requiredPath("it.wildfly.home"), JavaHomes.running(),
                    war, port, withModes(), "", bound);
            case "payara7" -> new PayaraMicroTarget(kind, Target.requiredPath("it.payara7.jar"), ee11Java(), war,
                    port, withModes(), "", bound);
            case "wildfly39" -> new WildFlyTarget(kind, Target.requiredPath("it.wildfly39.home"), ee11Java(), war,
                    port, withModes(), "", bound);
            case "glassfish8" -> new GlassFishTarget(kind, Target.requiredPath("it.glassfish8.home"), ee11Java(), war,
                    port, withModes(), "", bound);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Path ee11Java() {
        return JavaHomes.java21().orElseThrow(() -> new org.opentest4j.TestAbortedException("no Java "
                + JavaHomes.EE11_MINIMUM + " or newer for the Jakarta EE 11 servers"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "payara", "wildfly", "payara7", "wildfly39", "glassfish8"})
    void sessionsReportTheTimeoutAndTheContainerClosesASilentOneWithoutTheSweeper(String kind) throws Exception {
        Target target = start(kind);
        try {
            if (!kind.equals("embedded")) {
                // an application server of its own costs the most here, so the execution modes are checked on it too
                // (ExecutionModesTest checks them on the embedded server)
                ModesOnServers.check(target, Target.logDir().resolve(kind + "-" + target.httpBase().getPort()
                        + ".log"));
            }
            try (TestClient c = TestClient.connect(target.wsUri())) {
                assertThat(c.request("register", "r", "{\"uid\":" + target.httpBase().getPort() + "}")
                        .getInt("status")).isZero();
                JsonObject idle = c.request("maxIdleTimeout", "m", null);
                assertThat(idle.getInt("status")).isZero();
                assertThat(idle.getJsonObject("data").getJsonNumber("ms").longValue()).isEqualTo(IDLE.toMillis());

                TestClient.Close close = c.awaitClose(IDLE.multipliedBy(6));
                if (kind.startsWith("wildfly")) {
                    assertThat(close.code()).isEqualTo(1001);
                } else {
                    assertThat(close.code()).isEqualTo(1000);
                    assertThat(close.reason()).isEqualTo(TYRUS_REASON);
                }
            }
        } finally {
            target.close();
        }
    }
}
