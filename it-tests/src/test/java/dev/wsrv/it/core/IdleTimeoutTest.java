package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PROTOCOL.md section 2, with a short idle timeout: heartbeats keep a session, silence closes it properly. */
@Timeout(60)
class IdleTimeoutTest {

    static final Duration IDLE = Duration.ofMillis(1500);
    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = Servers.withIdleTimeout(IDLE, CoreCommands.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSilentSessionIsClosedWithACloseFrameNot1006() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            long start = System.nanoTime();
            TestClient.Close close = c.awaitClose(IDLE.multipliedBy(6));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reason()).isEqualTo("idle timeout");
            assertThat(elapsedMs).isGreaterThanOrEqualTo(IDLE.toMillis() - 100);
        }
    }

    @Test
    void heartbeatsKeepTheSessionAlivePastTheTimeout() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            // heartbeat every third of the timeout, for three timeouts in all
            long until = System.nanoTime() + IDLE.multipliedBy(3).toNanos();
            boolean binary = false;
            while (System.nanoTime() < until) {
                if (binary) {
                    c.sendBinary(new byte[0]);
                } else {
                    c.sendText("");
                }
                binary = !binary;
                assertThat(c.isClosed()).isFalse();
                // waiting for a message that never comes is the bounded pause between heartbeats
                assertThat(c.drain(IDLE.dividedBy(3))).isEmpty();
            }
            assertThat(c.isClosed()).isFalse();
            assertThat(c.request("echo", "alive", "1").getInt("status")).isZero();
        }
    }
}
