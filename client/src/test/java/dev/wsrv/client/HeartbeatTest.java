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
        try (WsrvClient c = WsrvClient.builder(server.uri()).heartbeatInterval(Duration.ofMillis(400)).connect()) {
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            // two silent clients opened one after the other show that two idle timeouts have passed: without its
            // heartbeat, c (open before both) would have been closed before the second of them
            for (int i = 0; i < 2; i++) {
                try (WsrvClient silent = WsrvClient.builder(server.uri()).heartbeatInterval(Duration.ZERO).connect()) {
                    assertThat(idleClose(silent)).isEqualTo(new CloseEvent(1000, "idle timeout", false, false));
                }
            }
            assertThat(closes).isEmpty();
            assertThat(c.isConnected()).isTrue();
            assertThat(await(c.request("echo", "alive"))).isEqualTo(Json.createValue("alive"));
        }
    }

    @Test
    void withoutHeartbeatTheServerClosesTheSession() throws Exception {
        try (WsrvClient c = WsrvClient.builder(server.uri()).heartbeatInterval(Duration.ZERO).connect()) {
            assertThat(idleClose(c)).isEqualTo(new CloseEvent(1000, "idle timeout", false, false));
            assertThat(c.isConnected()).isFalse();
        }
    }

    /** Waits for the server to close a client that sends nothing. */
    private static CloseEvent idleClose(WsrvClient c) throws InterruptedException {
        LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
        c.onClose(closes::add);
        CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close).as("the idle close").isNotNull();
        return close;
    }
}
