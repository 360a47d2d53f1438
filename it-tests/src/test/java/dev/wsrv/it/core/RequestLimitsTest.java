package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsException;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-session request limits through a real client: the token bucket (429, then 1008 after the configured
 * refusals), the bound on asynchronous requests in flight (429), and each server's own limits on the shape of
 * {@code data}. Each limit logs one WARN per session.
 */
@Timeout(60)
class RequestLimitsTest {

    static final int BURST = 20;
    static final int VIOLATIONS = 10;
    static final int ASYNC = 3;

    static final WsrvConfig.Limits DEFAULTS = WsrvConfig.Limits.DEFAULTS;

    /** 1 request per second, a burst of 20, closed after 10 refusals; its clock stands still, so nothing refills. */
    @RegisterExtension
    static final WsrvTestExtension rated = WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class,
            ManualTicker.class).config(WsrvConfig.DEFAULTS.withLimits(DEFAULTS.with("wsrv.limits.requestsPerSecond", 1)
                    .with("wsrv.limits.requestBurst", BURST)
                    .with("wsrv.limits.violationsBeforeClose", VIOLATIONS))));
    /** At most 3 asynchronous requests in flight; a rate that the tests never reach but closing after 2 refusals. */
    @RegisterExtension
    static final WsrvTestExtension held = server(DEFAULTS.with("wsrv.limits.requestsPerSecond", 10_000)
            .with("wsrv.limits.requestBurst", 10_000).with("wsrv.limits.violationsBeforeClose", 2)
            .with("wsrv.limits.asyncInFlight", ASYNC));
    /** data at most 4 levels deep and 10 keys. */
    @RegisterExtension
    static final WsrvTestExtension shaped = server(DEFAULTS.with("wsrv.limits.maxDepth", 4)
            .with("wsrv.limits.maxKeys", 10));

    static WsrvTestExtension server(WsrvConfig.Limits limits) {
        return WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class, HeldCommands.class)
                .config(WsrvConfig.DEFAULTS.withLimits(limits)));
    }

    @BeforeEach
    void noHeldRequests() {
        HeldCommands.HELD.clear();
    }

    // ------------------------------------------------------------------ helpers

    static String sessionId(TestClient c) throws Exception {
        return c.request("recall", "id", null).getJsonObject("data").getString("session");
    }

    static JsonObject reply(TestClient c, String seqno) throws Exception {
        return c.awaitJson(m -> seqno.equals(m.json().getString("seqno", null)));
    }

    static void assertTooMany(JsonObject r, String cmd, String seqno) {
        assertThat(r.getString("cmd")).isEqualTo(cmd);
        assertThat(r.getString("seqno")).isEqualTo(seqno);
        assertThat(r.getInt("status")).isEqualTo(429);
        assertThat(r.getString("msg")).isEqualTo("too many requests");
        assertThat(r.getJsonObject("data")).isEmpty();
    }

    /** The WARN lines that name a session. */
    static List<String> warnings(LogCapture log, String sessionId) {
        SimpleFormatter f = new SimpleFormatter();
        List<String> out = new ArrayList<>();
        for (LogRecord r : log.atLeast(Level.WARNING)) {
            String m = f.formatMessage(r);
            if (m.contains(sessionId)) {
                assertThat(r.getLoggerName()).startsWith("dev.wsrv.").isNotEqualTo("dev.wsrv.errors");
                out.add(m);
            }
        }
        return out;
    }

    static String echo(String seqno) {
        return "{\"cmd\":\"echo\",\"seqno\":\"" + seqno + "\",\"data\":1}";
    }

    // ------------------------------------------------------------------ request rate

    @Test
    void aBurstBeyondTheBucketIsAnswered429ThenClosed1008WhileAnotherSessionIsServed() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv");
             TestClient bystander = TestClient.connect(rated.uri());
             TestClient c = TestClient.connect(rated.uri())) {
            assertThat(bystander.request("echo", "by-1", "1").getInt("status")).isZero();
            String id = sessionId(c); // takes the first token
            for (int i = 0; i < 5; i++) {
                c.sendText(""); // heartbeats take none
            }
            // what the bucket still holds, then the refusals that close the session: it closes on the last frame
            int sent = BURST - 1 + VIOLATIONS;
            for (int i = 0; i < sent; i++) {
                c.sendText(echo("r" + i));
            }
            List<JsonObject> replies = new ArrayList<>();
            for (int i = 0; i < sent; i++) {
                replies.add(c.nextJson());
            }
            TestClient.Close close = c.awaitClose();
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("too many requests");
            // nothing after the last refusal
            assertThat(c.pending()).isZero();

            // in order, one per frame: 19 served, then 10 refused
            for (int k = 0; k < sent; k++) {
                JsonObject r = replies.get(k);
                assertThat(r.getString("seqno")).isEqualTo("r" + k);
                if (k < BURST - 1) {
                    assertThat(r.getInt("status")).as("reply %d", k).isZero();
                } else {
                    assertTooMany(r, "echo", "r" + k);
                }
            }

            assertThat(bystander.request("echo", "by-2", "2").getInt("status")).isZero();
            List<String> warned = warnings(log, id);
            assertThat(warned).hasSize(2);
            assertThat(warned.get(0)).contains("over its request rate", "1/s", "burst 20", "cmd=echo");
            assertThat(warned.get(1)).contains("closed with 1008", "10 requests");
        }
    }

    @Test
    void framesWithoutATokenAre429EchoingWhatCouldBeReadAndHeartbeatsTakeNone() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv"); TestClient c = TestClient.connect(rated.uri())) {
            String id = sessionId(c);
            for (int i = 1; i < BURST; i++) {
                c.sendText(echo("ok" + i));
                c.sendText("");
            }
            for (int i = 1; i < BURST; i++) {
                assertThat(reply(c, "ok" + i).getInt("status")).isZero();
            }
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"t1\",\"data\":[1,"); // truncated: a 400 with a token
            c.sendBinary("hello".getBytes(StandardCharsets.UTF_8)); // not JSON: a 400 with a token
            c.sendBinary(echo("b1").getBytes(StandardCharsets.UTF_8));
            TestClient.Message truncated = c.next();
            TestClient.Message notJson = c.next();
            TestClient.Message binary = c.next();
            // no token has come back (the clock stands still): each is refused, with what could be read
            assertTooMany(truncated.json(), "echo", "t1");
            assertTooMany(notJson.json(), "", "");
            assertTooMany(binary.json(), "echo", "b1");
            assertThat(truncated.binary()).isFalse();
            assertThat(notJson.binary()).isTrue();
            assertThat(binary.binary()).isTrue();
            // three refusals of ten: still open
            assertThat(c.isClosed()).isFalse();
            assertThat(c.request("echo", "open", "1").getInt("status")).isEqualTo(429);
            assertThat(warnings(log, id)).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ asynchronous requests in flight

    @Test
    void requestsBeyondTheAsyncBoundAre429WithoutCountingAsRateViolations() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv");
             TestClient bystander = TestClient.connect(held.uri());
             TestClient c = TestClient.connect(held.uri())) {
            String id = sessionId(c);
            List<CompletableFuture<String>> inFlight = new ArrayList<>();
            for (int i = 1; i <= ASYNC; i++) {
                c.sendText("{\"cmd\":\"hold\",\"seqno\":\"h" + i + "\"}");
                inFlight.add(HeldCommands.next());
            }
            // the bound is reached: any request is refused, without running its handler
            c.sendText(echo("e1"));
            assertTooMany(c.nextJson(), "echo", "e1");
            c.sendText("{\"cmd\":\"hold\",\"seqno\":\"h4\"}");
            assertTooMany(c.nextJson(), "hold", "h4");
            for (int i = 0; i < 3; i++) {
                c.sendText("{\"cmd\":\"nothing\",\"seqno\":\"n" + i + "\"}");
                assertTooMany(c.nextJson(), "nothing", "n" + i);
            }
            assertThat(HeldCommands.HELD).isEmpty();
            // five refusals, the rate's close comes after two: these are not rate refusals
            assertThat(c.isClosed()).isFalse();
            // another session is not limited by this one's requests
            assertThat(bystander.request("echo", "by", "1").getInt("status")).isZero();

            inFlight.get(0).complete("one");
            JsonObject h1 = reply(c, "h1");
            assertThat(h1.getInt("status")).isZero();
            assertThat(h1.getString("data")).isEqualTo("one");
            assertThat(c.request("echo", "e2", "2").getInt("status")).isZero();

            c.sendText("{\"cmd\":\"hold\",\"seqno\":\"h5\"}");
            inFlight.add(HeldCommands.next());
            c.sendText(echo("e3"));
            assertTooMany(reply(c, "e3"), "echo", "e3");

            // a stage that fails frees its slot too
            inFlight.get(1).completeExceptionally(new WsException(409, "conflict later"));
            assertThat(reply(c, "h2").getInt("status")).isEqualTo(409);
            assertThat(c.request("echo", "e4", "4").getInt("status")).isZero();

            inFlight.get(2).complete("three");
            inFlight.get(3).complete("five");
            assertThat(reply(c, "h3").getInt("status")).isZero();
            assertThat(reply(c, "h5").getInt("status")).isZero();
            assertThat(c.request("echo", "e5", "5").getInt("status")).isZero();
            assertThat(c.pending()).isZero();
            assertThat(c.isClosed()).isFalse();

            List<String> warned = warnings(log, id);
            assertThat(warned).hasSize(1);
            assertThat(warned.get(0)).contains("3 asynchronous requests in flight", "cmd=echo");
        }
    }

    // ------------------------------------------------------------------ each server's own limits on data

    static String arrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String keys(int n) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    /** cmd and seqno after data, so that the server must read past the broken data to echo them. */
    static String dataFirst(String data, String seqno) {
        return "{\"data\":" + data + ",\"cmd\":\"echo\",\"seqno\":\"" + seqno + "\"}";
    }

    static void assertBadRequest(JsonObject r, String seqno) {
        assertThat(r.getString("cmd")).isEqualTo("echo");
        assertThat(r.getString("seqno")).isEqualTo(seqno);
        assertThat(r.getInt("status")).isEqualTo(400);
        assertThat(r.getString("msg")).isEqualTo("bad request");
    }

    @Test
    void eachServerDecodesWithItsOwnDataLimits() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv");
             TestClient c = TestClient.connect(shaped.uri());
             TestClient other = TestClient.connect(rated.uri())) {
            String id = sessionId(c);
            c.sendText(dataFirst(arrays(4), "d4"));
            assertThat(c.nextJson().getInt("status")).isZero();
            c.sendText(dataFirst(arrays(5), "d5"));
            assertBadRequest(c.nextJson(), "d5");
            c.sendBinary(dataFirst("[{\"a\":{\"b\":[[1]]}}]", "d5b").getBytes(StandardCharsets.UTF_8));
            TestClient.Message m = c.next();
            assertThat(m.binary()).isTrue();
            assertBadRequest(m.json(), "d5b");
            c.sendText(dataFirst(keys(10), "k10"));
            assertThat(c.nextJson().getInt("status")).isZero();
            c.sendText(dataFirst("[" + keys(6) + "," + keys(5) + "]", "k11"));
            assertBadRequest(c.nextJson(), "k11");
            c.sendText(dataFirst(keys(11), "k11b"));
            assertBadRequest(c.nextJson(), "k11b");
            assertThat(c.request("echo", "after", "1").getInt("status")).isZero();

            // the server with the default limits takes what this one refuses
            other.sendText(dataFirst(arrays(5), "o5"));
            assertThat(other.nextJson().getInt("status")).isZero();
            other.sendText(dataFirst(keys(11), "o11"));
            assertThat(other.nextJson().getInt("status")).isZero();

            List<String> warned = warnings(log, id);
            assertThat(warned).hasSize(2);
            assertThat(warned.get(0)).contains("data nested deeper than 4 levels", "cmd=echo");
            assertThat(warned.get(1)).contains("data has more than 10 keys", "cmd=echo");
        }
    }
}
