package dev.wsrv.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.Sessions;
import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.WsrvConfig;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault proxy between the JDK's WebSocket client and the embedded server: a cut reaches the client as a
 * transport error and a closed TCP connection as an end without a close frame, and the server sees either as a
 * dropped session; a stall holds the server's pushes until it ends, then delivers every one in order.
 */
@Timeout(60)
class FaultProxyWebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> b.config(WsrvConfig.DEFAULTS.with("wsrv.idleTimeoutMs", Duration.ZERO))
            .handle("whoami", ctx -> ctx.ok(ctx.sessionId())));
    private FaultProxy proxy;
    private WebSocket ws;
    private final Recorder client = new Recorder();

    @BeforeEach
    void connectThroughTheProxy() throws Exception {
        proxy = FaultProxy.to(server.uri());
        ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(proxy.via(server.uri()), client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        ws.abort();
        proxy.close();
    }

    @Test
    void aCutIsATransportErrorForTheClientAndADropForTheServer() throws Exception {
        String id = whoami();
        assertThat(sessions().find(id)).isPresent();

        proxy.cut();

        Throwable error = client.error.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(IOException.class);
        assertThat(client.close).isNotDone();
        await("the server saw the drop").atMost(WAIT).until(() -> sessions().find(id).isEmpty());
    }

    @Test
    void aClosedTcpConnectionEndsTheStreamWithoutACloseFrame() throws Exception {
        String id = whoami();

        proxy.closeConnections();

        await("the server saw the drop").atMost(WAIT).until(() -> sessions().find(id).isEmpty());
        // The JDK's client now and then misses the end of the stream (its socket stays in CLOSE_WAIT) and tells its
        // listener nothing, then or later; only its writes fail. So it writes heartbeats until it learns either way.
        AtomicReference<Throwable> sendFailed = new AtomicReference<>();
        await("the client learned that the connection is gone").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (client.close.isDone() || client.error.isDone() || sendFailed.get() != null) {
                        return true;
                    }
                    ws.sendText("", true).whenComplete((ok, e) -> {
                        if (e != null) {
                            sendFailed.compareAndSet(null, e);
                        }
                    });
                    return false;
                });
        // 1006 is the JDK's report of an end without a close frame; no close frame may carry it
        assertThat(client.close.getNow(null)).isIn(null, 1006);
        if (client.error.isDone()) {
            assertThat(client.error.get()).isInstanceOf(IOException.class);
        }
        if (sendFailed.get() != null) {
            assertThat(sendFailed.get()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStallHoldsThePushesAndResumeDeliversEveryOneInOrder() throws Exception {
        String id = whoami();

        proxy.stall();
        List<CompletableFuture<PushResult>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            results.add(pusher().push(id, "n", i).toCompletableFuture());
        }
        // the server cannot tell: the frames sit in its socket, so every push reports delivered
        for (CompletableFuture<PushResult> r : results) {
            assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS).delivered()).containsExactly(id);
        }
        await("nothing passes the stalled proxy").during(Duration.ofMillis(300)).atMost(WAIT)
                .until(client.texts::isEmpty);

        proxy.resume();

        for (int i = 0; i < 100; i++) {
            JsonObject push = client.next();
            assertThat(push.getString("cmd")).isEqualTo("n");
            assertThat(push.getInt("data")).isEqualTo(i);
        }
        assertThat(client.error).isNotDone();
        assertThat(client.close).isNotDone();
    }

    private String whoami() throws Exception {
        ws.sendText("{\"cmd\":\"whoami\",\"seqno\":\"w\"}", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonObject reply = client.next();
        assertThat(reply.getInt("status")).isZero();
        return reply.getString("data");
    }

    private Sessions sessions() {
        return server.server().container().select(Sessions.class).get();
    }

    private Pusher pusher() {
        return server.server().container().select(Pusher.class).get();
    }

    /** Records texts, the close (frame or end of stream) and the transport error, which the JDK reports apart. */
    private static final class Recorder implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> close = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        JsonObject next() throws InterruptedException {
            String t = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(t).as("a message within " + WAIT).isNotNull();
            return Json.createReader(new StringReader(t)).readObject();
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            w.request(1);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            close.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable e) {
            error.complete(e);
        }
    }
}
