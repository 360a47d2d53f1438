package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.PushResult;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.RawClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broadcast to 1,000 connected clients reaches all of them, each exactly once. The clients are raw sockets
 * (no thread each), opened concurrently; a second broadcast is the marker that proves no copy came twice.
 */
@Timeout(60)
class BroadcastThousandTest {

    private static final int CLIENTS = 1_000;

    @Test
    void broadcastReachesAllThousandClientsOnce() throws Exception {
        List<RawClient> clients = new ArrayList<>(CLIENTS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (EmbeddedServer server = PusherServers.start()) {
            PushService svc = PusherServers.service(server);
            List<Future<RawClient>> opening = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                opening.add(pool.submit(() -> new RawClient(server.uri())));
            }
            for (Future<RawClient> f : opening) {
                clients.add(f.get(30, TimeUnit.SECONDS));
            }
            await("all sessions registered").atMost(Duration.ofSeconds(20))
                    .until(() -> svc.sessions().count() == CLIENTS);

            PushResult r = svc.toEveryone("hello", Map.of("n", 1)).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(r.reached()).isEqualTo(CLIENTS);
            assertThat(r.failures()).isEmpty();
            assertThat(r.delivered()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(svc.sessions().ids());
            PushResult marker = svc.toEveryone("marker", null).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(marker.reached()).isEqualTo(CLIENTS);

            List<Future<?>> reading = new ArrayList<>();
            for (RawClient c : clients) {
                reading.add(pool.submit(() -> {
                    JsonObject first = json(c.read());
                    assertThat(first.getString("cmd")).isEqualTo("hello");
                    assertThat(first.getInt("status")).isZero();
                    assertThat(first.getJsonObject("data").getInt("n")).isEqualTo(1);
                    // one session's writes are ordered: a second copy would come before the marker
                    assertThat(json(c.read()).getString("cmd")).isEqualTo("marker");
                    return null;
                }));
            }
            for (Future<?> f : reading) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            for (RawClient c : clients) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing is best effort; the server is gone too
                }
            }
            pool.shutdownNow();
        }
    }

    private static JsonObject json(RawClient.Frame f) {
        assertThat(f.opcode()).isEqualTo(0x1);
        return Json.createReader(new StringReader(f.text())).readObject();
    }
}
