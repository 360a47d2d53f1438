package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.CloseCodes;
import dev.wsrv.PushResult;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading is closed with 1013 (slow consumer) once its queue exceeds the bound, logged at WARN,
 * and reads the close frame after the pushes that were on their way when it reads again; a healthy client on the
 * same server keeps receiving broadcasts meanwhile (docs/protocol.md#close-codes-the-server-uses).
 */
@Timeout(60)
class SlowConsumerTest {

    private static final int QUEUE_BOUND = 64;
    private static final String PAD = "x".repeat(4096);
    private static final int MAX_PUSHES = 200_000;

    @Test
    void clientThatStopsReadingIsClosedWith1013WhileHealthyClientKeepsReceiving() throws Exception {
        try (EmbeddedServer server = PusherServers.start(
                PusherServers.config(QUEUE_BOUND, 64L * 1024 * 1024));
             TestClient healthy = TestClient.connect(server.uri());
             RawClient stuck = new RawClient(server.uri());
             LogCapture log = LogCapture.of("dev.wsrv")) {
            PushService svc = PusherServers.service(server);
            String healthyId = PusherServers.whoami(healthy);
            stuck.sendText("{\"cmd\":\"whoami\",\"seqno\":\"w\"}".getBytes(StandardCharsets.UTF_8));
            String stuckId = Json.createReader(new StringReader(stuck.read().text())).readObject()
                    .getJsonObject("data").getString("id");
            // from here on the stuck client never reads: the writes fill the TCP buffers, then its queue

            List<CompletionStage<PushResult>> toStuck = new ArrayList<>();
            List<CompletionStage<PushResult>> broadcasts = new ArrayList<>();
            int news = 0;
            while (svc.sessions().find(stuckId).isPresent()) {
                assertThat(toStuck).as("pushes without the stuck client being closed").hasSizeLessThan(MAX_PUSHES);
                for (int i = 0; i < 32; i++) {
                    toStuck.add(svc.toSession(stuckId, "blob", Map.of("n", toStuck.size(), "pad", PAD)));
                }
                broadcasts.add(svc.toEveryone("news", Map.of("n", news)));
                // the healthy client gets every broadcast while the other one is stuck (generous bound of the client)
                assertThat(healthy.awaitPush("news").getJsonObject("data").getInt("n")).isEqualTo(news);
                news++;
            }
            assertThat(toStuck.size()).as("pushes before the close").isGreaterThan(QUEUE_BOUND);

            // the stream to the healthy client goes on after the close, and reaches only it
            int closedAt = news;
            for (; news < closedAt + 100; news++) {
                PushResult r = svc.toEveryone("news", Map.of("n", news)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(r.delivered()).containsExactly(healthyId);
                assertThat(r.failures()).isEmpty();
                assertThat(healthy.awaitPush("news").getJsonObject("data").getInt("n")).isEqualTo(news);
            }
            assertThat(healthy.messagesBefore("echo")).isEmpty();

            // server side: closed once with 1013, out of every registry, logged at WARN with id and reason
            await("SessionClosed of the stuck session").atMost(Duration.ofSeconds(10))
                    .until(() -> !SessionEventRecorder.closed(stuckId).isEmpty());
            // client side: once it reads again, the pushes that were on their way end with the 1013 close frame
            RawClient.Frame close = stuck.awaitClose();
            assertThat(close.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo("slow consumer");
            assertThat(SessionEventRecorder.closed(stuckId)).singleElement().satisfies(v -> {
                assertThat(v.event().closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
                assertThat(v.event().reason()).isEqualTo("slow consumer");
                assertThat(v.stillFound()).isFalse();
                assertThat(v.stillListed()).isFalse();
                assertThat(v.pushAfterClose().failures())
                        .containsExactly(new PushResult.Failure(stuckId, PushResult.NO_SUCH_SESSION));
            });
            assertThat(SessionEventRecorder.opened(stuckId)).hasSize(1);
            assertThat(svc.sessions().ids()).containsExactly(healthyId);
            assertThat(svc.toSession(stuckId, "blob", null).toCompletableFuture().get(5, TimeUnit.SECONDS).failures())
                    .containsExactly(new PushResult.Failure(stuckId, PushResult.NO_SUCH_SESSION));
            assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(r -> assertThat(
                    new SimpleFormatter().formatMessage(r)).contains(stuckId).contains("slow consumer"));

            // every push outcome is known once the session is closed, although the client still reads nothing:
            // a stuck client must not leave the caller's stage (or a whole broadcast's) pending for ever
            List<CompletionStage<PushResult>> all = new ArrayList<>(toStuck);
            all.addAll(broadcasts);
            try {
                CompletableFuture.allOf(all.stream().map(CompletionStage::toCompletableFuture)
                        .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(all.stream().filter(s -> !s.toCompletableFuture().isDone()).count()
                        + " push stages still pending 10 s after the slow-consumer close (first at index "
                        + all.indexOf(all.stream().filter(s -> !s.toCompletableFuture().isDone()).findFirst()
                        .orElseThrow()) + " of " + toStuck.size() + " pushes and " + broadcasts.size()
                        + " broadcasts)", e);
            }
            List<PushResult> results = toStuck.stream().map(s -> s.toCompletableFuture().join()).toList();
            assertThat(results).allSatisfy(r -> assertThat(r.reached() + r.failures().size()).isEqualTo(1));
            // the push that overflowed the queue (a single push or a broadcast) says why
            assertThat(all.stream().flatMap(s -> s.toCompletableFuture().join().failures().stream()))
                    .anySatisfy(f -> {
                        assertThat(f.sessionId()).isEqualTo(stuckId);
                        assertThat(f.reason()).contains("slow consumer");
                    });
            assertThat(broadcasts).allSatisfy(s -> assertThat(s.toCompletableFuture().join().delivered())
                    .contains(healthyId));
        }
    }
}
