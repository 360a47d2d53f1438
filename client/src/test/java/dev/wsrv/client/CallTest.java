package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.embedded.EmbeddedServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking {@code call}: the reply's data, or the failure itself with the caller's stack and the reply's data. */
@Timeout(60)
class CallTest {

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        // "fail" answers with the status, msg and data it is given
        server = ClientBehaviourTest.handlers(EmbeddedServer.builder().port(0))
                .handle("fail", ctx -> {
                    JsonObject o = ctx.data().asJsonObject();
                    ctx.error(o.getInt("status"), o.getString("msg"), o.get("data"));
                }).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void release() {
        AsyncCommands.releaseAll();
    }

    /** The data of the echo replies. */
    public record Message(String text) {
    }

    @Test
    void aCallReturnsTheRepliesData() {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThat(c.call("echo", Map.of("text", "hi"))).isEqualTo(Json.createObjectBuilder().add("text", "hi").build());
            assertThat(c.call("echo", null)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
            assertThat(c.call("echo", Map.of("text", "typed"), Message.class)).isEqualTo(new Message("typed"));
            List<Message> list = c.call("echo", List.of(new Message("a"), new Message("b")),
                    RequestOptions.<List<Message>>replyAs(new java.util.ArrayList<Message>() { }.getClass()
                            .getGenericSuperclass()).withTimeout(WAIT));
            assertThat(list).containsExactly(new Message("a"), new Message("b"));
        }
    }

    @Test
    void aStatusFailureIsThrownItselfWithTheCallersStack() {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            Map<String, Object> forbidden = Map.of("status", 403, "msg", "forbidden", "data", Map.of("room", "r1"));
            assertThatThrownBy(() -> c.call("fail", forbidden))
                    .isExactlyInstanceOf(WsrvStatusException.class)
                    .satisfies(t -> {
                        WsrvStatusException e = (WsrvStatusException) t;
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.getMessage()).isEqualTo("wsrv: fail (seqno " + e.seqno()
                                + ") failed with status 403: forbidden: {\"room\":\"r1\"}");
                        assertThat(Arrays.stream(e.getStackTrace()).map(StackTraceElement::getMethodName))
                                .contains("aStatusFailureIsThrownItselfWithTheCallersStack");
                    });
        }
    }

    @Test
    void theMessageQuotesTheDataBounded() {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            List<Map<String, String>> problems = List.of(Map.of("path", "rooms[2]", "message", "must not be blank"),
                    Map.of("path", "", "message", "too many rooms"), Map.of("message", "no path at all"));
            assertThat(message(c, 422, "invalid data", problems)).endsWith(
                    " failed with status 422: invalid data: rooms[2]: must not be blank; too many rooms; no path at all");
            assertThat(message(c, 409, "taken", null)).endsWith(" failed with status 409: taken");
            assertThat(message(c, 409, "taken", Map.of())).endsWith(" failed with status 409: taken");
            assertThat(message(c, 409, "taken", List.of())).endsWith(" failed with status 409: taken: []");
            assertThat(message(c, 409, "taken", "by Ann")).endsWith(" failed with status 409: taken: \"by Ann\"");
            assertThat(message(c, 409, "taken", List.of(Map.of("path", "x")))).endsWith(": taken: [{\"path\":\"x\"}]");

            String big = "é".repeat(10_000);
            String text = message(c, 409, "taken", big);
            String detail = text.substring(text.indexOf("409: ") + 5);
            assertThat(detail).isEqualTo("taken: \"" + "é".repeat(WsrvStatusException.MAX_DETAIL - 8)
                    + "... (" + (10_000 + 2 + 7 - WsrvStatusException.MAX_DETAIL) + " more characters)");
            // a character outside the BMP is never cut in half
            String emoji = "a".repeat(491) + "😀😀";
            assertThat(message(c, 409, "taken", emoji)).endsWith(": taken: \"" + "a".repeat(491) + "... (5 more characters)");
            // the whole data stays available
            WsrvStatusException e = (WsrvStatusException) catchFailure(() -> c.call("fail",
                    Map.of("status", 409, "msg", "taken", "data", big)));
            assertThat(e.data(String.class)).isEqualTo(big);
        }
    }

    private static String message(WsrvClient c, int status, String msg, Object data) {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("status", status, "msg", msg));
        if (data != null) {
            request.put("data", data);
        }
        Throwable t = catchFailure(() -> c.call("fail", request));
        assertThat(t).isExactlyInstanceOf(WsrvStatusException.class);
        return t.getMessage();
    }

    private static Throwable catchFailure(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aTimeoutIsThrownItself() {
        try (WsrvClient c = WsrvClient.builder(server.uri()).requestTimeout(Duration.ofMillis(200)).connect()) {
            assertThatThrownBy(() -> c.call("later", null))
                    .isExactlyInstanceOf(WsrvTimeoutException.class)
                    .hasMessageStartingWith("wsrv: no reply to later (seqno ")
                    .hasMessageEndingWith(") within 200 ms");
            assertThatThrownBy(() -> c.call("later", null, RequestOptions.timeout(Duration.ofMillis(300))))
                    .isExactlyInstanceOf(WsrvTimeoutException.class)
                    .hasMessageEndingWith(") within 300 ms");
            assertThatThrownBy(() -> c.call("later", null, JsonObject.class))
                    .isExactlyInstanceOf(WsrvTimeoutException.class);
        }
    }

    @Test
    void anInterruptedCallGivesUpAndItsLateReplyIsNoPush() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
            c.onPush("*", pushes::add);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    c.call("later", null, RequestOptions.timeout(Duration.ZERO));
                } catch (RuntimeException e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            Waits.until("the request to reach the handler", WAIT, () -> AsyncCommands.WAITING.size() == 1);
            caller.interrupt();
            caller.join(WAIT.toMillis());
            assertThat(caller.isAlive()).isFalse();
            assertThat(thrown.get()).isExactlyInstanceOf(CancellationException.class)
                    .hasMessage("wsrv: interrupted while waiting for the reply to later")
                    .hasCauseExactlyInstanceOf(InterruptedException.class);
            assertThat(stillInterrupted).isTrue();

            // the server answers the abandoned request now, then pushes a marker: only the marker is a push
            AsyncCommands.WAITING.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).complete("late");
            c.call("pushme", "after");
            Push p = pushes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).isNotNull();
            assertThat(p.cmd()).isEqualTo("marker");
            assertThat(p.data()).isEqualTo(Json.createValue("after"));
        }
    }

    @Test
    void argumentsAreCheckedOnTheCallersThread() {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThatThrownBy(() -> c.call("", null)).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.call("echo", null, (RequestOptions<Object>) null))
                    .isExactlyInstanceOf(NullPointerException.class);
        }
    }
}
