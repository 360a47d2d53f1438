package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/protocol.md#sessions: unique ids, per-session state private to its session. */
@Timeout(60)
class SessionStateTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class));

    @Test
    void twoConnectionsNeverSeeEachOthersState() throws Exception {
        try (TestClient a = TestClient.connect(server.uri()); TestClient b = TestClient.connect(server.uri())) {
            assertThat(a.request("remember", "1", "\"alpha\"").getInt("status")).isZero();
            JsonObject fromB = b.request("recall", "2", null).getJsonObject("data");
            assertThat(fromB.containsKey("value")).isFalse();
            assertThat(b.request("remember", "3", "\"beta\"").getInt("status")).isZero();

            JsonObject fromA = a.request("recall", "4", null).getJsonObject("data");
            assertThat(fromA.getString("value")).isEqualTo("\"alpha\"");
            assertThat(b.request("recall", "5", null).getJsonObject("data").getString("value")).isEqualTo("\"beta\"");
            assertThat(fromA.getString("session")).isNotBlank().isNotEqualTo(fromB.getString("session"));
        }
    }

    @Test
    void sessionIdIsStableForTheConnectionAndStateDiesWithIt() throws Exception {
        String first;
        try (TestClient a = TestClient.connect(server.uri())) {
            a.request("remember", "1", "42");
            first = a.request("recall", "2", null).getJsonObject("data").getString("session");
            assertThat(a.request("recall", "3", null).getJsonObject("data").getString("session")).isEqualTo(first);
        }
        try (TestClient again = TestClient.connect(server.uri())) {
            JsonObject d = again.request("recall", "1", null).getJsonObject("data");
            assertThat(d.getString("session")).isNotEqualTo(first);
            assertThat(d.containsKey("value")).isFalse();
        }
    }
}
