package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static dev.wsrv.client.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts, late replies, concurrency, fragments, binary frames and closing, against programmatic handlers. */
@Timeout(60)
class ClientBehaviourTest {

    static final int BIG = 300_000;

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        // this suite pipelines thousands of requests on one connection to test the client's bookkeeping, not the
        // server's request rate limit
        server = handlers(EmbeddedServer.builder().port(0).config(WsrvConfig.DEFAULTS.withLimits(
                WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.requestsPerSecond", 0).with("wsrv.limits.requestBurst", 0)
                        .with("wsrv.limits.violationsBeforeClose", 0)))).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void release() {
        AsyncCommands.releaseAll();
    }

    static EmbeddedServer.Builder handlers(EmbeddedServer.Builder b) {
        // "later" (AsyncCommands) answers when the test releases it, without blocking the session
        return b.beanClasses(AsyncCommands.class)
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("big", ctx -> ctx.ok(Map.of("s", "x".repeat(BIG))))
                .handle("pushme", ctx -> {
                    ctx.push("marker", ctx.data());
                    ctx.ok();
                })
                .handle("bigpush", ctx -> {
                    ctx.push("big", Map.of("s", "é".repeat(BIG)));
                    ctx.ok();
                });
    }

    @Test
    void aRequestWithoutReplyTimesOutAndItsLateReplyIsDropped() throws Exception {
        try (WsrvClient c = WsrvClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(20)).connect()) {
            LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
            c.onPush("*", pushes::add);
            long start = System.nanoTime();
            Throwable t = failure(c.request("later", null, RequestOptions.timeout(Duration.ofMillis(300))));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(t).isInstanceOf(WsrvTimeoutException.class);
            WsrvTimeoutException e = (WsrvTimeoutException) t;
            assertThat(e.cmd()).isEqualTo("later");
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(e.getMessage()).isEqualTo("wsrv: no reply to later (seqno " + e.seqno() + ") within 300 ms");
            assertThat(ms).as("not before the timeout").isGreaterThanOrEqualTo(300);

            // the server now answers later (late) and then pushme: only the marker is a push
            AsyncCommands.WAITING.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).complete("late");
            await(c.request("pushme", "after"));
            Push p = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).isNotNull();
            assertThat(p.cmd()).isEqualTo("marker");
            assertThat(p.data()).isEqualTo(Json.createValue("after"));
        }
    }

    @Test
    void theDefaultTimeoutApplies() throws Exception {
        try (WsrvClient c = WsrvClient.builder(server.uri()).requestTimeout(Duration.ofMillis(200)).connect()) {
            assertThat(failure(c.request("later", null, JsonObject.class))).isInstanceOf(WsrvTimeoutException.class)
                    .hasMessageContaining("200 ms");
        }
    }

    @Test
    void manyThreadsGetTheirOwnReplies() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            List<Future<List<CompletionStage<JsonValue>>>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                all.add(pool.submit(() -> {
                    List<CompletionStage<JsonValue>> mine = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        mine.add(c.request("echo", Map.of("t", thread, "i", i)));
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < 8; t++) {
                List<CompletionStage<JsonValue>> mine = all.get(t).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(mine).hasSize(200);
                for (int i = 0; i < 200; i++) {
                    JsonObject o = await(mine.get(i)).asJsonObject();
                    assertThat(o.getInt("t")).isEqualTo(t);
                    assertThat(o.getInt("i")).isEqualTo(i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Data of the big replies. */
    public record Big(String s) {
    }

    @Test
    void largeRepliesArriveInPiecesAndAreReassembled() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThat(await(c.request("big", null, Big.class)).s()).hasSize(BIG).containsOnlyOnce("x".repeat(BIG));
            LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
            c.onPush("big", pushes::add);
            await(c.request("bigpush", null));
            Push p = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p.data(Big.class).s()).isEqualTo("é".repeat(BIG));
        }
    }

    @Test
    void binaryPushesAreDecoded() throws Exception {
        WsrvConfig binary = WsrvConfig.DEFAULTS.with("wsrv.pushFrameType", WsrvConfig.FrameType.BINARY);
        try (EmbeddedServer s = handlers(EmbeddedServer.builder().port(0).config(binary)).start();
             WsrvClient c = WsrvClient.connect(s.uri())) {
            LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
            c.onPush("marker", pushes::add);
            c.onPush("big", pushes::add);
            await(c.request("pushme", Map.of("k", "v")));
            Push p = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p.data().asJsonObject().getString("k")).isEqualTo("v");
            await(c.request("bigpush", null));
            Push big = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(big.data(Big.class).s()).isEqualTo("é".repeat(BIG));
        }
    }

    @Test
    void closeSendsNormalClosureAndFailsPendingRequests() throws Exception {
        WsrvClient c = WsrvClient.connect(server.uri());
        LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
        c.onClose(closes::add);
        CompletionStage<JsonValue> pending = c.request("later", null, RequestOptions.timeout(Duration.ofSeconds(30)));
        c.close();
        assertThat(c.isConnected()).isFalse();
        Throwable t = failure(pending);
        assertThat(t).isInstanceOf(WsrvConnectionException.class);
        assertThat(((WsrvConnectionException) t).closeCode()).hasValue(1000);
        CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(close.code()).isEqualTo(1000);
        assertThat(close.byClient()).isTrue();
        assertThat(close.willReconnect()).isFalse();
        c.close(); // idempotent
        assertThat(failure(c.request("echo", 1))).isInstanceOf(WsrvConnectionException.class);
    }

    @Test
    void pendingRequestsAndCallsFailWhenTheServerCloses() throws Exception {
        // a second server beside this class's one: its shutdown still sends every session 1001
        EmbeddedServer s = handlers(EmbeddedServer.builder().port(0)).start();
        CompletableFuture<Void> stopping = null;
        try {
            WsrvClient c = WsrvClient.connect(s.uri());
            LinkedBlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
            c.onClose(closes::add);
            CompletionStage<JsonValue> pending = c.request("later", null, RequestOptions.timeout(Duration.ofSeconds(30)));
            CompletionStage<JsonValue> queued = c.request("later", "too", RequestOptions.timeout(Duration.ofSeconds(30)));
            CompletableFuture<RuntimeException> called = CompletableFuture.supplyAsync(() -> {
                try {
                    c.call("later", "blocking", RequestOptions.timeout(Duration.ZERO));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(pending.toCompletableFuture()).isNotDone();

            Waits.until("the requests to reach the handler", WAIT, () -> AsyncCommands.WAITING.size() == 3);
            stopping = CompletableFuture.runAsync(s::close);
            for (CompletionStage<JsonValue> stage : List.of(pending, queued)) {
                Throwable t = failure(stage);
                assertThat(t).isInstanceOf(WsrvConnectionException.class).hasMessageContaining("1001");
                assertThat(((WsrvConnectionException) t).closeCode()).hasValue(1001);
            }
            // a call throws the same failure itself
            assertThat(await(called)).isExactlyInstanceOf(WsrvConnectionException.class)
                    .hasMessageContaining("code 1001");
            CloseEvent close = closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(close).isEqualTo(new CloseEvent(1001, close.reason(), false, false));
            assertThat(c.isConnected()).isFalse();
            Throwable later = failure(c.request("echo", 1));
            assertThat(later).isInstanceOf(WsrvConnectionException.class).hasMessageContaining("not connected");
            assertThat(((WsrvConnectionException) later).closeCode()).isEmpty();
            assertThatThrownBy(() -> c.call("echo", 1)).isExactlyInstanceOf(WsrvConnectionException.class)
                    .hasMessageContaining("not connected");
            c.close(); // no connection left: returns at once
        } finally {
            AsyncCommands.releaseAll();
            if (stopping != null) {
                stopping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            s.close();
        }
    }

    @Test
    void argumentsAreChecked() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThatThrownBy(() -> c.request("", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RequestOptions.timeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(await(c.request("echo", null))).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
            assertThat(await(c.request("echo", "a \"quoted\"\n ü", String.class))).isEqualTo("a \"quoted\"\n ü");
        }
        assertThatThrownBy(() -> WsrvClient.builder(URI.create("http://x/ws")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedConnectSaysWhere() {
        // a port where nothing listens: bind one, note it, free it
        int port;
        try (EmbeddedServer s = EmbeddedServer.builder().port(0).start()) {
            port = s.address().getPort();
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        assertThatThrownBy(() -> WsrvClient.builder(uri).connectTimeout(Duration.ofSeconds(3)).connect())
                .isInstanceOf(WsrvConnectionException.class)
                .hasMessageContaining("could not connect to " + uri);
    }

    @Test
    void aRefusedHandshakeReportsItsHttpStatus() {
        // the server's origin check refuses a page of another site: 403, before any WebSocket traffic
        assertThatThrownBy(() -> WsrvClient.builder(server.uri()).header("Origin", "https://evil.example.net")
                .connectTimeout(Duration.ofSeconds(5)).connect())
                .isInstanceOfSatisfying(WsrvConnectionException.class,
                        e -> assertThat(e.handshakeStatus()).hasValue(403))
                .hasMessageContaining("refused the handshake with HTTP 403");
    }
}
