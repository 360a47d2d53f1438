package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.EmbeddedTarget;
import dev.wsrv.it.target.PayaraMicroTarget;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.WildFlyTarget;
import dev.wsrv.runtime.WsrvEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guarantees that need a server of their own, on every target: the endpoint at a configured {@code wsrv.path},
 * 503 past the total connection limit, refused upgrades that hold no slot, and the 1001 close of every session when
 * the server stops (docs/protocol.md#close-codes-the-server-uses).
 */
@Timeout(300)
class OwnInstanceTest {

    private static final int TOTAL = 3;
    private static final Map<String, String> SETTINGS = Map.of("wsrv.path", "/custom",
            "wsrv.limits.connections", String.valueOf(TOTAL), "wsrv.idleTimeoutMs", "60000");

    static Target start(String kind) {
        Assumptions.assumeTrue(kind.equals("embedded") || !"off".equals(System.getProperty("it.appServers")),
                "application servers are off in this run");
        return switch (kind) {
            // beside the wsrv endpoint at /custom, the annotated endpoint class at /ws, outside the handshake gate
            case "embedded" -> EmbeddedTarget.start(SETTINGS, WsrvEndpoint.class);
            case "payara" -> PayaraMicroTarget.start(SETTINGS, "");
            case "wildfly" -> WildFlyTarget.start(SETTINGS, "");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static URI ws(Target target, String path) {
        return URI.create(target.httpBase().toString().replaceFirst("^http", "ws")).resolve(path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "payara", "wildfly"})
    void configuredPathTotalLimitRefusedUpgradesAndShutdown(String kind) throws Exception {
        Target target = start(kind);
        List<TestClient> open = new ArrayList<>();
        try {
            URI custom = ws(target, "custom");
            // refused upgrades (a foreign origin) take no slot: the limit still admits TOTAL sessions after them
            for (int i = 0; i < 2 * TOTAL; i++) {
                assertThat(TestClient.upgradeStatus(custom, Map.of("Origin", "http://evil.example"))).isEqualTo(403);
            }
            for (int i = 0; i < TOTAL; i++) {
                open.add(TestClient.connect(custom));
                assertThat(open.get(i).request("whoami", "w" + i, "{}").getInt("status")).isZero();
            }
            assertThat(TestClient.upgradeStatus(custom, Map.of())).isEqualTo(503);

            // the default path: the application servers deploy only the configured path; on the embedded server an
            // endpoint deployed there around the gate has its sessions closed with 1008
            URI plain = ws(target, "ws");
            if (!kind.equals("embedded")) {
                assertThat(TestClient.upgradeStatus(plain, Map.of())).isEqualTo(404);
            } else {
                try (TestClient bypass = TestClient.connect(plain)) {
                    TestClient.Close close = bypass.awaitClose();
                    assertThat(close.code()).isEqualTo(1008);
                    assertThat(close.reason()).isEqualTo("not admitted");
                }
            }
        } finally {
            target.close();
        }
        for (TestClient c : open) {
            TestClient.Close close = c.awaitClose();
            assertThat(close.code()).isEqualTo(1001);
            c.close();
        }
    }
}
