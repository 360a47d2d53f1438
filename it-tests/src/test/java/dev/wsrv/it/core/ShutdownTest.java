package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/** PROTOCOL.md section 7: shutdown closes every session with 1001, also while another server runs. */
@Timeout(60)
class ShutdownTest {

    @RepeatedTest(5)
    void closingTheServerClosesEverySessionWith1001() throws Exception {
        try (EmbeddedServer bystander = Servers.start(CoreCommands.class);
             TestClient untouched = TestClient.connect(bystander.uri())) {
            EmbeddedServer server = Servers.start(CoreCommands.class);
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(TestClient.connect(server.uri()));
                assertThat(clients.get(i).request("echo", "x", "1").getInt("status")).isZero();
            }
            server.close();
            for (TestClient c : clients) {
                assertThat(c.awaitClose().code()).isEqualTo(1001);
                c.close();
            }
            assertThat(untouched.request("echo", "still", "1").getInt("status")).isZero();
        }
    }
}
