package dev.wsrv.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.client.WsrvClient;
import dev.wsrv.embedded.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;

/** {@link WsrvTest#perMethod()}: every test has a server of its own, stopped after it. */
@WsrvTest(beans = RoomCommands.class, perMethod = true)
class WsrvTestPerMethodTest {

    static final List<EmbeddedServer> servers = new ArrayList<>();

    @RepeatedTest(2)
    void everyTestHasItsOwnServer(EmbeddedServer server, WsrvClient client) {
        assertThat(servers).doesNotContain(server);
        servers.add(server);
        assertThat(client.call("join", Map.of("room", "r")).asJsonObject().getString("session")).isNotEmpty();
    }

    @AfterAll
    static void eachWasStoppedAfterItsTest() {
        assertThat(servers).hasSize(2);
        for (EmbeddedServer s : servers) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(s::uri))
                    .isInstanceOf(IllegalStateException.class).hasMessage("not started");
        }
    }
}
