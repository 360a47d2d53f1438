package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static dev.wsrv.client.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reconnect with backoff to a restarted demo server, and the re-register hook. */
@Timeout(60)
class ReconnectTest {

    @Test
    void theClientReconnectsToARestartedServerAndTheHookRegistersAgain() throws Exception {
        EmbeddedServer first = DemoMain.builder().port(0).start();
        int port = first.address().getPort();
        EmbeddedServer second = null;
        AtomicInteger hookRuns = new AtomicInteger();
        LinkedBlockingQueue<String> hookResults = new LinkedBlockingQueue<>();
        WsrvClient c = WsrvClient.builder(first.uri())
                .reconnect(backoff(50, 400))
                .onReconnect(client -> {
                    hookRuns.incrementAndGet();
                    // blocking on a request in the hook is allowed: replies complete on another thread
                    client.request("register", Map.of("uid", 42)).toCompletableFuture().join();
                    hookResults.add("registered");
                })
                .connect();
        try {
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            c.onPush("user_register", pushes::add);
            await(c.request("register", Map.of("uid", 42)));
            assertThat(pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();

            first.close();
            CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(close).isNotNull();
            assertThat(close.code()).isEqualTo(1001);
            assertThat(close.willReconnect()).isTrue();
            assertThat(failure(c.request("userinfo", null))).isInstanceOf(WsrvConnectionException.class);

            second = startOnPort(port);
            assertThat(hookResults.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("registered");
            assertThat(hookRuns).hasValue(1);
            assertThat(c.isConnected()).isTrue();

            // the new session is registered (the demo answers 401 otherwise) and pushes still arrive
            Push again = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(again).isNotNull();
            assertThat(again.data(DemoClientTest.Uid.class).uid()).isEqualTo(42);
            assertThat(await(c.request("userinfo", null, DemoClientTest.UserInfo.class)))
                    .isEqualTo(new DemoClientTest.UserInfo(42, "user-42"));
        } finally {
            c.close();
            first.close();
            if (second != null) {
                second.close();
            }
        }
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void afterMaxAttemptsFailedInARowTheClientGivesUp() throws Exception {
        EmbeddedServer server = DemoMain.builder().port(0).start();
        AtomicInteger attempts = new AtomicInteger();
        LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        WsrvClient c = WsrvClient.builder(server.uri())
                .headers(() -> {
                    attempts.incrementAndGet();
                    return Map.of();
                })
                .reconnect(backoff(20, 20).withMaxAttempts(3))
                .connect();
        try {
            c.onError(errors::add);
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            server.close();
            assertThat(closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).willReconnect()).isTrue();
            for (int i = 0; i < 3; i++) {
                assertThat(errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isInstanceOf(WsrvConnectionException.class).hasMessageContaining("could not connect to");
            }
            Throwable gaveUp = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(gaveUp).isInstanceOf(WsrvConnectionException.class)
                    .hasMessage("wsrv: gave up reconnecting after 3 attempts");
            // giving up takes the place of the next attempt: none is planned
            assertThat(attempts).hasValue(1 + 3);
            assertThat(c.isConnected()).isFalse();
        } finally {
            c.close();
            server.close();
        }
    }

    /** A backoff from {@code initialMs} doubling up to {@code maxMs}, with the default jitter. */
    static ReconnectOptions backoff(long initialMs, long maxMs) {
        return ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(initialMs)).withMaxDelay(Duration.ofMillis(maxMs));
    }

    /** Starts the demo on a port just freed, retrying while the port is still held. */
    private static EmbeddedServer startOnPort(int port) {
        return Waits.retry("binding port " + port, WAIT, () -> DemoMain.builder().port(port).start());
    }
}
