package dev.wsrv.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.client.Push;
import dev.wsrv.client.WsrvClient;
import dev.wsrv.embedded.EmbeddedServer;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link WsrvTest} with one server for the class: the tests share it, each has a client and session of its own. */
@WsrvTest(beans = RoomCommands.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WsrvTestAnnotationTest {

    static EmbeddedServer first;
    static final Set<String> sessions = new HashSet<>();

    @BeforeAll
    static void serverRunsBeforeAll(EmbeddedServer server, URI uri) {
        first = server;
        assertThat(uri).isEqualTo(server.uri());
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(uri.getPort()).isPositive();
    }

    @Test
    @Order(1)
    void theClientIsConnectedAndItsPushesAreRecorded(WsrvClient client, PushRecorder pushes, EmbeddedServer server) {
        assertThat(server).isSameAs(first);
        assertThat(client.isConnected()).isTrue();
        String session = client.call("join", Map.of("room", "lobby")).asJsonObject().getString("session");
        Push joined = pushes.await("joined");
        assertThat(joined.data().asJsonObject().getString("session")).isEqualTo(session);
        assertThat(joined.data().asJsonObject().getString("room")).isEqualTo("lobby");
        sessions.add(session);
    }

    @Test
    @Order(2)
    void theNextTestSharesTheServerButNotTheSession(WsrvClient client, EmbeddedServer server) {
        assertThat(server).isSameAs(first);
        String session = client.call("join", Map.of("room", "lobby")).asJsonObject().getString("session");
        assertThat(sessions).hasSize(1).doesNotContain(session);
    }

    @AfterAll
    static void theServerStillRunsAfterAll(EmbeddedServer server) {
        assertThat(server).isSameAs(first);
        assertThat(server.address().getPort()).isEqualTo(first.uri().getPort());
    }
}
