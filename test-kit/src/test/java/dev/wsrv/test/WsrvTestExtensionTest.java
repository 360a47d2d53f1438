package dev.wsrv.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.client.WsrvClient;
import dev.wsrv.client.WsrvStatusException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WsrvTestExtension#perClass}: the server set up in code, reached through the field. */
class WsrvTestExtensionTest {

    @RegisterExtension
    static final WsrvTestExtension wsrv = WsrvTestExtension.perClass(server -> server
            .beanClasses(RoomCommands.class)
            .idleTimeout(Duration.ofSeconds(7))
            .handle("ping", ctx -> ctx.ok("pong"))
            .use(100, ctx -> {
                if (ctx.cmd().equals("secret")) {
                    ctx.abort(403, "forbidden");
                }
            }));

    @Test
    void theSetUpIsTheServers() {
        assertThat(wsrv.server().config().idleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(wsrv.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(wsrv.client().call("ping", null).toString()).isEqualTo("\"pong\"");
        assertThatThrownBy(() -> wsrv.client().call("secret", null)).isInstanceOf(WsrvStatusException.class)
                .hasMessageContaining("403");
    }

    @Test
    void twoClientsSeeEachOthersPushes() {
        try (WsrvClient bob = WsrvClient.connect(wsrv.uri()); PushRecorder bobs = PushRecorder.of(bob)) {
            bob.call("join", Map.of("room", "kitchen"));
            wsrv.client().call("join", Map.of("room", "kitchen"));
            wsrv.client().call("say", Map.of("room", "kitchen", "text", "hi"));
            assertThat(bobs.await("said").data().asJsonObject().getString("text")).isEqualTo("hi");
            assertThat(wsrv.pushes().await("said").data().asJsonObject().getString("text")).isEqualTo("hi");
            assertThat(bobs.await("joined", 2)).hasSize(2);
        }
    }
}
