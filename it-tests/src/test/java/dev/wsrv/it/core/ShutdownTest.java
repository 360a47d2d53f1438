package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shutdown closes every session with a 1001 close frame, also while another server runs in the same JVM and while
 * the clients are still sending (docs/protocol.md#close-codes-the-server-uses).
 */
@Timeout(120)
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

    /**
     * A client that reconnects while the server closes its sessions is refused with 503, so that it tries again
     * elsewhere or later, instead of opening a session on a server that is about to drop it
     * (docs/protocol.md#handshake).
     */
    @Test
    void anUpgradeWhileTheServerStopsIsRefusedWith503() throws Exception {
        EmbeddedServer server = Servers.start(CoreCommands.class);
        URI uri = server.uri(); // a stopping server no longer tells its address
        // a client that never answers the close frame: the server waits for it a while before it stops listening
        try (RawClient silent = new RawClient(uri)) {
            Thread closer = new Thread(server::close, "closer");
            closer.start();
            Awaitility.await("an upgrade refused while the server stops").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> upgradeStatus(uri), status -> status == 503);
            closer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(closer.isAlive()).isFalse();
            assertThat(silent.awaitClose().closeCode()).isEqualTo(1001);
        } finally {
            server.close();
        }
    }

    private static int upgradeStatus(URI uri) {
        try {
            return RawClient.upgradeStatus(uri);
        } catch (IOException stoppedListening) {
            return -1;
        }
    }

    /** Clients that are sending when the server stops still read the 1001 close frame, not a reset. */
    @Test
    void fiftyBusyClientsEachGet1001() throws Exception {
        int n = 50;
        ExecutorService senders = Executors.newFixedThreadPool(n);
        List<TestClient> clients = new ArrayList<>();
        try (EmbeddedServer bystander = Servers.start(CoreCommands.class)) {
            EmbeddedServer server = Servers.builder(CoreCommands.class)
                    .config(dev.wsrv.WsrvConfig.DEFAULTS.withLimits(
                            dev.wsrv.WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.requestsPerSecond", 0)
                                    .with("wsrv.limits.requestBurst", 0).with("wsrv.limits.violationsBeforeClose", 0)))
                    .start();
            List<Future<Integer>> sent = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(TestClient.connect(server.uri()));
                }
                for (TestClient c : clients) {
                    sent.add(senders.submit(() -> {
                        int k = 0;
                        try {
                            for (; k < 1_000_000 && !c.isClosed(); k++) {
                                c.sendText("{\"cmd\":\"echo\",\"seqno\":\"" + k + "\",\"data\":" + k + "}");
                            }
                        } catch (java.util.concurrent.ExecutionException
                                 | java.util.concurrent.TimeoutException closedWhileSending) {
                            // the client library fails, or never completes, a send cut off by the server's close
                        }
                        return k;
                    }));
                }
                for (TestClient c : clients) {
                    // every client is busy: its first replies have come
                    c.next(java.time.Duration.ofSeconds(60));
                }
            } finally {
                server.close();
            }
            for (TestClient c : clients) {
                assertThat(c.awaitClose().code()).isEqualTo(1001);
            }
            for (Future<Integer> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
            }
            try (TestClient other = TestClient.connect(bystander.uri())) {
                assertThat(other.request("echo", "still", "1").getInt("status")).isZero();
            }
        } finally {
            clients.forEach(TestClient::close);
            senders.shutdownNow();
        }
    }
}
