package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pending requests when the server shuts down. In a class of its own: the server must be the only
 * {@link EmbeddedServer} of the JVM, since with another one running its shutdown drops connections without
 * the 1001 close frame (the client then sees 1006).
 */
@Timeout(60)
class ServerCloseTest {

    @Test
    void pendingRequestsFailWhenTheServerCloses() throws Exception {
        EmbeddedServer s = ClientBehaviourTest.handlers(EmbeddedServer.builder().port(0)).start();
        CompletableFuture<Void> stopping = null;
        try {
            WsrvClient c = WsrvClient.connect(s.uri());
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            CompletionStage<JsonValue> pending = c.request("later", null, Duration.ofSeconds(30));
            CompletionStage<JsonValue> queued = c.request("later", "too", Duration.ofSeconds(30));
            assertThat(pending.toCompletableFuture()).isNotDone();

            Waits.until("the request to reach the handler", WAIT, () -> AsyncCommands.WAITING.size() == 2);
            stopping = CompletableFuture.runAsync(s::close);
            for (CompletionStage<JsonValue> stage : List.of(pending, queued)) {
                Throwable t = failure(stage);
                assertThat(t).isInstanceOf(WsrvConnectionException.class).hasMessageContaining("1001");
                assertThat(((WsrvConnectionException) t).closeCode()).hasValue(1001);
            }
            CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(close).isEqualTo(new CloseEvent(1001, close.reason(), false, false));
            assertThat(c.isConnected()).isFalse();
            Throwable later = failure(c.request("echo", 1));
            assertThat(later).isInstanceOf(WsrvConnectionException.class).hasMessageContaining("not connected");
            assertThat(((WsrvConnectionException) later).closeCode()).isEmpty();
            c.close(); // no connection left: returns at once
        } finally {
            AsyncCommands.releaseAll();
            if (stopping != null) {
                stopping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            s.close();
        }
    }

}
