package dev.wsrv.it.hostile;

import static dev.wsrv.it.hostile.HostileServer.assertNoLeak;
import static dev.wsrv.it.hostile.HostileServer.assertReply;
import static dev.wsrv.it.hostile.HostileServer.stillUsable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.core.CoreCommands;
import dev.wsrv.it.core.ManualTicker;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Large and many requests through a real client against a running embedded server: deep nesting, huge numbers,
 * bursts of ten thousand commands. After every case: the documented reply or close code, no stack trace or class
 * name reached the client, a bystander session still answers, and nothing was logged at SEVERE except the
 * documented 500 path.
 */
class HostileVolumeTest {

    /** A server like the hostile one with request rates not limited, for the burst that must be served whole. */
    static EmbeddedServer unlimitedRate;

    static HostileServer hostile;
    static EmbeddedServer server;

    @BeforeContainer
    static void start() throws Exception {
        hostile = HostileServer.start();
        server = hostile.server;
        unlimitedRate = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS
                        .with("wsrv.limits.requestsPerSecond", 0).with("wsrv.limits.requestBurst", 0)
                        .with("wsrv.limits.violationsBeforeClose", 0)
                        .with("wsrv.limits.requestsPerSecondPerAddress", 0)
                        .with("wsrv.limits.requestBurstPerAddress", 0)))
                .beanClasses(CoreCommands.class).start();
    }

    @AfterContainer
    static void stop() {
        unlimitedRate.close();
        hostile.close();
    }

    @AfterProperty
    void everyoneElseIsFineAndNothingSevere() throws Exception {
        hostile.everyoneElseIsFineAndNothingSevere();
    }

    // ------------------------------------------------------------------ deep nesting and huge numbers

    /** 100,000 levels do not fit in 64 KiB; under the limit: ~32,000 closed levels, ~65,000 unclosed. */
    @Example
    void deepNestingUnderTheSizeLimitIs400WithEcho() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            int closed = 32_000;
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"d1\",\"data\":" + "[".repeat(closed) + "]".repeat(closed) + "}");
            assertReply(c.nextJson(), "echo", "d1", 400);
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"d2\",\"data\":" + "[".repeat(65_000));
            assertReply(c.nextJson(), "echo", "d2", 400);
            c.sendBinary(("{\"cmd\":\"echo\",\"seqno\":\"d3\",\"data\":" + "{\"a\":".repeat(10_000) + "1"
                    + "}".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8));
            assertReply(c.nextJson(), "echo", "d3", 400);
            stillUsable(c);
        }
    }

    /** A frame over the size limit is refused on its header with 1009, however much of it the client sends. */
    @Example
    void hundredThousandLevelsIsOverTheLimitAndCloses1009() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            // the server answers on the frame header while the client is still writing the frame's 200 kB, and reads
            // what follows its close frame for a grace period, so that the close frame is not lost to a reset
            try {
                c.sendText("{\"cmd\":\"echo\",\"seqno\":\"d\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // the client library stops sending once it has the server's close frame
            }
            TestClient.Close close = c.awaitClose();
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("message too big");
        }
        stillUsable(hostile.bystander);
    }


    @Example
    void tenThousandDigitNumbers() throws Exception {
        String n = "7".repeat(10_000);
        try (TestClient c = TestClient.connect(server.uri())) {
            // data: Parsson refuses BigDecimals longer than 1100 chars -> 400, cmd/seqno echoed
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"n1\",\"data\":" + n + "}");
            assertReply(c.nextJson(), "echo", "n1", 400);
            // seqno: 400, the digits echoed as text only up to 256 of them
            c.sendText("{\"cmd\":\"echo\",\"seqno\":" + n + "}");
            assertReply(c.nextJson(), "echo", "", 400);
            c.sendText("{\"cmd\":\"echo\",\"seqno\":" + n.substring(0, 256) + "}");
            assertReply(c.nextJson(), "echo", n.substring(0, 256), 400);
            // cmd: 400
            c.sendText("{\"cmd\":" + n + ",\"seqno\":\"n3\"}");
            assertReply(c.nextJson(), "", "n3", 400);
            // an ignored key: served
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"n4\",\"x\":" + n + ",\"data\":5}");
            assertReply(c.nextJson(), "echo", "n4", 0);
            // 1000 digits fit the parser: echoed exactly
            String k = "7".repeat(1000);
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"n5\",\"data\":" + k + "}");
            JsonObject r = c.nextJson();
            assertReply(r, "echo", "n5", 0);
            assertThat(r.getJsonNumber("data").bigIntegerValue().toString()).isEqualTo(k);
            // and bound into an int: 422
            c.sendText("{\"cmd\":\"point\",\"seqno\":\"n6\",\"data\":{\"x\":" + k + ",\"y\":1,\"label\":\"a\"}}");
            assertReply(c.nextJson(), "point", "n6", 422);
            stillUsable(c);
        }
    }

    /** Numbers bound to a primitive {@code int} are exact too: never narrowed, never truncated, a 422 otherwise. */
    @Example
    void numbersThatDoNotFitAPrimitiveIntAre422() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            for (String x : new String[] {"1e999999999", "2147483648", "1.5", "-1e-3", "7".repeat(1000)}) {
                c.sendText("{\"cmd\":\"point\",\"seqno\":\"e1\",\"data\":{\"x\":" + x + ",\"y\":1,\"label\":\"a\"}}");
                JsonObject r = c.nextJson();
                assertThat(r.getString("seqno")).isEqualTo("e1");
                assertThat(r.getInt("status")).as(x).isEqualTo(422);
                assertThat(r.getJsonArray("data").getJsonObject(0).getString("path")).isEqualTo("x");
                assertNoLeak(r.toString());
            }
            c.sendText("{\"cmd\":\"point\",\"seqno\":\"e2\",\"data\":{\"x\":1e1,\"y\":1,\"label\":\"a\"}}");
            assertThat(c.nextJson().getJsonObject("data").getInt("sum")).isEqualTo(11);
            stillUsable(c);
        }
    }

    // ------------------------------------------------------------------ burst

    /** With the request rate not limited, a burst is served whole. */
    @Example
    void tenThousandCommandsInABurstAreAllAnsweredInOrderWhileOthersAreServed() throws Exception {
        int n = 10_000;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger otherAnswers = new AtomicInteger();
        Thread other = new Thread(() -> {
            try (TestClient o = TestClient.connect(unlimitedRate.uri())) {
                int i = 0;
                while (running.get()) {
                    if (o.request("echo", "o" + i++, "1").getInt("status") == 0) {
                        otherAnswers.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                otherAnswers.set(Integer.MIN_VALUE);
            }
        });
        other.start();
        try (TestClient c = TestClient.connect(unlimitedRate.uri())) {
            for (int i = 0; i < n; i++) {
                c.sendText("{\"cmd\":\"echo\",\"seqno\":\"b" + i + "\",\"data\":" + i + "}");
            }
            for (int i = 0; i < n; i++) {
                JsonObject r = c.nextJson();
                assertThat(r.getString("seqno")).isEqualTo("b" + i);
                assertThat(r.getInt("data")).isEqualTo(i);
            }
            assertThat(c.isClosed()).isFalse();
            stillUsable(c);
        } finally {
            running.set(false);
            other.join(15_000);
        }
        assertThat(otherAnswers.get()).isPositive();
    }

    /**
     * With the default limits (a bucket of 1,000, closing after 100 refusals within 10 s) and a clock that stands
     * still, so that nothing refills however long the burst takes: a burst of 10,000 gets the bucket's worth of
     * replies, then exactly 100 answers 429, then close 1008 and no reply to the rest; a bystander on the same
     * server is served throughout.
     *
     * <p>The client goes on writing after the server has closed, which a flooding client does: the server reads
     * and discards what follows its close frame for a grace period, so that the close frame and the replies before
     * it reach the client instead of being lost to a reset.
     */
    @Example
    void tenThousandCommandsInABurstAgainstTheDefaultLimitsGet429sThenClose1008() throws Exception {
        WsrvConfig.Limits limits = WsrvConfig.DEFAULTS.limits();
        int n = 10_000;
        List<TestClient.Message> replies = new ArrayList<>();
        TestClient.Close close;
        String id;
        try (EmbeddedServer still = EmbeddedServer.builder().port(0).config(WsrvConfig.DEFAULTS)
                     .beanClasses(CoreCommands.class, ManualTicker.class).start();
             TestClient bystander = TestClient.connect(still.uri());
             TestClient c = TestClient.connect(still.uri())) {
            id = c.request("recall", "id", null).getJsonObject("data").getString("session"); // one token
            for (int i = 0; i < n; i++) {
                try {
                    c.sendText("{\"cmd\":\"echo\",\"seqno\":\"b" + i + "\",\"data\":" + i + "}");
                } catch (java.util.concurrent.ExecutionException closedMeanwhile) {
                    break; // the server closed after the last refusal: the client may no longer send
                }
                if (i % 1000 == 0) {
                    // another session on the same server is served during the burst
                    stillUsable(bystander);
                }
            }
            close = c.awaitClose();
            while (c.pending() > 0) {
                replies.add(c.next());
            }
            stillUsable(bystander);
        }

        // the server's side: one WARN at the first 429 and one at the close, with the number of refusals
        List<String> warned = hostile.log.atLeast(Level.WARNING).stream().map(r -> r.getMessage())
                .filter(m -> m != null && m.contains(id)).toList();
        assertThat(warned).hasSize(2);
        assertThat(warned.get(0)).contains("over its request rate (" + limits.requestsPerSecond() + "/s, burst "
                + limits.requestBurst() + ")");
        assertThat(warned.get(1)).contains("closed with 1008: " + limits.violationsBeforeClose() + " requests refused");

        // the client's side: in order, the rest of the bucket served (the recall took one token), then refused
        int served = limits.requestBurst() - 1;
        assertThat(replies).hasSize(served + limits.violationsBeforeClose());
        for (int i = 0; i < replies.size(); i++) {
            JsonObject r = replies.get(i).json();
            assertThat(r.getString("seqno")).isEqualTo("b" + i);
            if (i < served) {
                assertThat(r.getInt("status")).as("reply %d, within the burst", i).isZero();
                assertThat(r.getInt("data")).isEqualTo(i);
            } else {
                assertThat(r.getInt("status")).as("reply %d, past the burst", i).isEqualTo(429);
                assertThat(r.getString("msg")).isEqualTo("too many requests");
            }
        }
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).isEqualTo("too many requests");
    }

    /** A skipped container still open at the end of the frame once spun a server thread for ever. */
    @Example
    void anUnclosedSkippedContainerGets400() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"x\":[");
            assertReply(c.nextJson(), "", "", 400);
        }
    }
}
