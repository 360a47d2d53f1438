package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Pusher;
import dev.wsrv.it.demo.IdleTimeoutCommand;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.session.IdleSweeper;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle timeout (docs/protocol.md#heartbeat-and-idle-timeout), short here: heartbeats keep a session, silence
 * closes it properly, and what the server sends does not count; each session reports the timeout as the
 * container's own.
 */
@Timeout(60)
class IdleTimeoutTest {

    static final Duration IDLE = Duration.ofMillis(1500);
    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class, IdleTimeoutCommand.class).idleTimeout(IDLE));

    @Test
    void aSilentSessionIsClosedWithACloseFrameNot1006() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            long start = System.nanoTime();
            TestClient.Close close = c.awaitClose(IDLE.multipliedBy(6));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reason()).isEqualTo("idle timeout");
            // the sweeper closes ahead of the container's timer, by at most its documented lead; the server's clock
            // starts at its open, up to 100 ms before this client sees the upgrade complete
            assertThat(elapsedMs).isGreaterThanOrEqualTo(IDLE.minus(IdleSweeper.lead(IDLE)).toMillis() - 100);
        }
    }

    @Test
    void aSessionReportsTheTimeoutAsTheContainersOwn() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject idle = c.request("maxIdleTimeout", "m", null);
            assertThat(idle.getInt("status")).isZero();
            assertThat(idle.getJsonObject("data").getJsonNumber("ms").longValue()).isEqualTo(IDLE.toMillis());
        }
    }

    @Test
    void pushesDoNotKeepASilentSessionAlive() throws Exception {
        Pusher pusher = server.server().container().select(Pusher.class).get();
        try (TestClient c = TestClient.connect(server.uri())) {
            String id = c.request("recall", "id", null).getJsonObject("data").getString("session");
            // the server keeps talking to the session, every third of the timeout for four timeouts; the session says
            // nothing, and must be closed while the pushes go on (after them, it would be closed anyway)
            int received = 0;
            for (int i = 0; i < 12 && !c.isClosed(); i++) {
                pusher.push(id, "news", Map.of("n", i));
                received += c.drain(IDLE.dividedBy(3)).size();
            }
            assertThat(c.isClosed()).as("closed while pushes kept coming").isTrue();
            TestClient.Close close = c.awaitClose();
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reason()).isEqualTo("idle timeout");
            assertThat(received).as("pushes that reached the session before its idle close").isPositive();
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
