package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import jakarta.json.Json;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The heartbeat against a server with a short idle timeout. */
@Timeout(60)
class HeartbeatTest {

    static final Duration IDLE = Duration.ofMillis(1500);
    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = EmbeddedServer.builder().port(0).idleTimeout(IDLE).handle("echo", ctx -> ctx.ok(ctx.data())).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theHeartbeatKeepsASilentSessionAlive() throws Exception {
        try (WsrvClient c = WsrvClient.builder(server.uri()).heartbeat(Duration.ofMillis(400)).connect()) {
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            // three idle timeouts without a request: no close may come
            assertThat(closes.poll(IDLE.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS)).isNull();
            assertThat(c.isConnected()).isTrue();
            assertThat(await(c.request("echo", "alive"))).isEqualTo(Json.createValue("alive"));
        }
    }

    @Test
    void withoutHeartbeatTheServerClosesTheSession() throws Exception {
        try (WsrvClient c = WsrvClient.builder(server.uri()).heartbeat(Duration.ZERO).connect()) {
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            long start = System.nanoTime();
            CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(close).isNotNull();
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.byClient()).isFalse();
            assertThat(ms).isGreaterThanOrEqualTo(IDLE.toMillis() - 200);
            assertThat(c.isConnected()).isFalse();
        }
    }
}
