package dev.wsrv.it.hostile;

import static dev.wsrv.it.support.JsonText.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.core.CoreCommands;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input through a real client against a running embedded server. After every case: the
 * connection got its documented reply or close code, no stack trace or class name reached the client, a
 * bystander session still answers, and nothing was logged at SEVERE except the documented 500 path.
 */
class HostileServerTest {

    static EmbeddedServer server;
    /** The same server with request rates not limited, for the burst that must be served whole. */
    static EmbeddedServer unlimitedRate;
    static TestClient bystander;
    static LogCapture log;
    static Level previousLevel;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        server = EmbeddedServer.builder().port(0).config(WsrvConfig.DEFAULTS).beanClasses(CoreCommands.class).start();
        unlimitedRate = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS
                        .with("wsrv.limits.requestsPerSecond", 0).with("wsrv.limits.requestBurst", 0)
                        .with("wsrv.limits.violationsBeforeClose", 0)
                        .with("wsrv.limits.requestsPerSecondPerAddress", 0)
                        .with("wsrv.limits.requestBurstPerAddress", 0)))
                .beanClasses(CoreCommands.class).start();
        Logger wsrv = Logger.getLogger("dev.wsrv");
        previousLevel = wsrv.getLevel();
        wsrv.setLevel(Level.ALL); // FINE lines too: they must not carry raw newlines either
        log = LogCapture.of("");
        bystander = TestClient.connect(server.uri());
    }

    @AfterContainer
    static void stop() {
        bystander.close();
        log.close();
        Logger.getLogger("dev.wsrv").setLevel(previousLevel);
        unlimitedRate.close();
        server.close();
    }

    @AfterProperty
    void everyoneElseIsFineAndNothingSevere() throws Exception {
        String s = "by-" + SEQ.incrementAndGet();
        assertThat(bystander.request("echo", s, "1").getInt("status")).isZero();
        for (LogRecord r : log.atLeast(Level.SEVERE)) {
            assertThat(r.getLoggerName()).as("SEVERE only on the 500 path: %s", r.getMessage()).isEqualTo("dev.wsrv.errors");
        }
        for (String m : log.messages()) {
            assertThat(m).as("log line with a raw line break").doesNotContain("\n", "\r");
        }
    }

    // ------------------------------------------------------------------ helpers

    static void assertNoLeak(String reply) {
        assertThat(reply).doesNotContain("Exception", "\tat ", "java.", "jakarta.", "dev.wsrv", "org.glassfish",
                "org.eclipse");
    }

    /** Sends a follow-up echo on the same connection and checks it is answered. */
    static void stillUsable(TestClient c) throws Exception {
        String s = "after-" + SEQ.incrementAndGet();
        JsonObject r = c.request("echo", s, "[1]");
        assertThat(r.getInt("status")).isZero();
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"cmd\"", "\"seqno\"", "\"data\"",
                        "\"echo\"", "\"x\"", "1", "1e999", "-0.5", "true", "null", "\"\\u0000\"", "\"\\n\"", "\"", "\\",
                        " ", "\n", "\u0000", "é", "\ud83d\ude00", "tru", "01", "[[[[", "]]]]")
                .list().ofMaxSize(25).map(l -> String.join("", l));
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(200)
                .filter(s -> s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(tokens, any);
    }

    @Provide
    Arbitrary<String> nasty() {
        return Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars("\u007f\u0085\u2028\u2029\"\\/aé{}")
                .ofMaxLength(20);
    }

    // ------------------------------------------------------------------ random frames

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void randomTextFramesGetOneReplyAndTheConnectionStaysUsable(@ForAll("hostileText") String frame) throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText(frame);
            if (!frame.isEmpty()) {
                TestClient.Message m = c.next();
                assertThat(m.binary()).isFalse();
                assertNoLeak(m.text());
                JsonObject r = m.json();
                assertThat(r.keySet()).contains("cmd", "seqno", "status", "msg", "data");
                assertThat(r.getInt("status")).as(frame).isEqualTo(expectedStatus(frame));
            }
            stillUsable(c);
        }
    }

    /**
     * The status docs/protocol.md prescribes for a frame to this server (default limits, {@code echo} and the other
     * core commands), worked out apart from the server: a JSON object whose every {@code cmd} is a string and every
     * {@code seqno} a string, the last of each non-empty and at most 256 characters, and whose {@code data} nests at
     * most 32 levels, is a request: 0 for {@code echo}, -1 for a command nobody handles; anything else is 400.
     */
    static int expectedStatus(String frame) {
        String cmd = null;
        String seqno = "";
        boolean wellFormed = true;
        int depth = 0;
        try (JsonParser p = jakarta.json.Json.createParser(new StringReader(frame))) {
            if (!p.hasNext() || p.next() != Event.START_OBJECT) {
                return 400;
            }
            Event e;
            while ((e = p.next()) == Event.KEY_NAME) {
                String key = p.getString();
                p.next();
                jakarta.json.JsonValue v = p.getValue();
                // a wrong type or too deep a data anywhere makes the frame bad, even if the key comes again
                switch (key) {
                    case "cmd" -> {
                        wellFormed &= v instanceof JsonString;
                        cmd = v instanceof JsonString str ? str.getString() : cmd;
                    }
                    case "seqno" -> {
                        wellFormed &= v instanceof JsonString;
                        seqno = v instanceof JsonString str ? str.getString() : seqno;
                    }
                    case "data" -> depth = Math.max(depth, depth(v));
                    default -> {
                        // ignored
                    }
                }
            }
            if (e != Event.END_OBJECT || p.hasNext()) {
                return 400;
            }
        } catch (RuntimeException malformed) {
            return 400;
        }
        if (!wellFormed || cmd == null || cmd.isEmpty() || cmd.length() > 256 || seqno.length() > 256 || depth > 32) {
            return 400;
        }
        assertThat(List.of("nothing", "boom", "refuse", "point", "points", "later", "laterFails", "silent", "remember",
                "recall", "seq")).as("a command this oracle does not know the answer of").doesNotContain(cmd);
        return "echo".equals(cmd) ? 0 : -1;
    }

    /** How deeply a value nests: 0 for a scalar, 1 for an empty array or object. */
    static int depth(jakarta.json.JsonValue v) {
        if (v instanceof jakarta.json.JsonArray a) {
            return 1 + a.stream().mapToInt(HostileServerTest::depth).max().orElse(0);
        }
        if (v instanceof JsonObject o) {
            return 1 + o.values().stream().mapToInt(HostileServerTest::depth).max().orElse(0);
        }
        return 0;
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void randomBinaryFramesGetOneReplyAndTheConnectionStaysUsable(@ForAll @Size(max = 1000) byte[] frame)
            throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendBinary(frame);
            if (frame.length > 0) {
                TestClient.Message m = c.next();
                assertThat(m.binary()).isTrue();
                assertNoLeak(m.text());
                assertThat(m.json().getInt("status")).isEqualTo(400);
            }
            stillUsable(c);
        }
    }

    // ------------------------------------------------------------------ NUL and control characters

    @Property(tries = 150)
    void controlCharsInCmdAndSeqnoAreEchoedExactlyAndNeverBreakALogLine(@ForAll("nasty") String cmd,
            @ForAll("nasty") String seqno, @ForAll @IntRange(min = 0, max = 3) int kind) throws Exception {
        // kind 0: unknown command (-1); 1: echo (0); 2: bad data (400); 3: boom (500, logged at SEVERE)
        String realCmd = switch (kind) {
            case 1 -> "echo";
            case 3 -> "boom";
            default -> cmd.isEmpty() ? "\u0000" : cmd;
        };
        String frame = "{\"cmd\":" + quoted(realCmd) + ",\"seqno\":" + quoted(seqno) + ",\"data\":" + (kind == 2 ? "[1," : "{}") + "}";
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText(frame);
            TestClient.Message m = c.next();
            for (int i = 0; i < m.text().length(); i++) {
                assertThat(m.text().charAt(i)).isGreaterThanOrEqualTo(' ');
            }
            JsonObject r = m.json();
            assertThat(r.getString("cmd")).isEqualTo(realCmd);
            assertThat(r.getString("seqno")).isEqualTo(seqno);
            // a nasty cmd is never a command's name (it has no letter but 'a'): -1
            int expected = switch (kind) {
                case 1 -> 0;
                case 2 -> 400;
                case 3 -> 500;
                default -> -1;
            };
            assertThat(r.getInt("status")).isEqualTo(expected);
            assertNoLeak(m.text());
            stillUsable(c);
        }
    }

    // ------------------------------------------------------------------ invalid and overlong UTF-8

    @Provide
    Arbitrary<byte[]> badUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xC1, (byte) 0xBF},
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xA2},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3, (byte) 0x28});
    }

    static byte[] inject(byte[] bad, int at) {
        byte[] good = "{\"cmd\":\"echo\",\"seqno\":\"u\",\"data\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        int pos = at % (good.length + 1);
        byte[] frame = new byte[good.length + bad.length];
        System.arraycopy(good, 0, frame, 0, pos);
        System.arraycopy(bad, 0, frame, pos, bad.length);
        System.arraycopy(good, pos, frame, pos + bad.length, good.length - pos);
        return frame;
    }

    @Property(tries = 40)
    void invalidUtf8InATextFrameCloses1007AndAnEarlierConnectionGoesOn(@ForAll("badUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 100) int at) throws Exception {
        try (TestClient before = TestClient.connect(server.uri()); RawClient raw = new RawClient(server.uri())) {
            raw.sendText(inject(bad, at));
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
            stillUsable(before);
        }
    }

    @Property(tries = 40)
    void invalidUtf8InABinaryFrameIs400OnTheSameRawConnection(@ForAll("badUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 100) int at) throws Exception {
        try (RawClient raw = new RawClient(server.uri())) {
            raw.send(0x2, inject(bad, at));
            RawClient.Frame f = raw.read();
            assertThat(f.opcode()).isEqualTo(0x2);
            assertNoLeak(f.text());
            assertThat(f.text()).isEqualTo("{\"cmd\":\"\",\"seqno\":\"\",\"status\":400,\"msg\":\"bad request\",\"data\":{}}");
            raw.sendText("{\"cmd\":\"echo\",\"seqno\":\"v\",\"data\":2}".getBytes(StandardCharsets.UTF_8));
            assertThat(raw.read().text()).isEqualTo("{\"cmd\":\"echo\",\"seqno\":\"v\",\"status\":0,\"msg\":\"ok\",\"data\":2}");
        }
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
        stillUsable(bystander);
    }

    static void assertReply(JsonObject r, String cmd, String seqno, int status) {
        assertThat(r.getString("cmd")).isEqualTo(cmd);
        assertThat(r.getString("seqno")).isEqualTo(seqno);
        assertThat(r.getInt("status")).isEqualTo(status);
        assertNoLeak(r.toString());
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
     * With the default limits (a bucket of 1,000 refilled at 500 a second, closing after 100 refusals within 10 s),
     * a burst of 10,000 gets the bucket's worth of replies, plus what refilled while it was read, then exactly 100
     * answers 429, then close 1008 and no reply to the rest; a bystander on the same server is served throughout.
     *
     * <p>The client goes on writing after the server has closed, which a flooding client does: the server reads
     * and discards what follows its close frame for a grace period, so that the close frame and the replies before
     * it reach the client instead of being lost to a reset.
     */
    @Example
    void tenThousandCommandsInABurstAgainstTheDefaultLimitsGet429sThenClose1008() throws Exception {
        WsrvConfig.Limits limits = server.config().limits();
        int n = 10_000;
        List<TestClient.Message> replies = new ArrayList<>();
        TestClient.Close close;
        long elapsed;
        String id;
        try (TestClient c = TestClient.connect(server.uri())) {
            long t0 = System.nanoTime();
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
            elapsed = System.nanoTime() - t0;
            while (c.pending() > 0) {
                replies.add(c.next());
            }
        }
        stillUsable(bystander);

        // the server's side: one WARN at the first 429 and one at the close, with the number of refusals
        List<String> warned = log.atLeast(Level.WARNING).stream().map(r -> r.getMessage())
                .filter(m -> m != null && m.contains(id)).toList();
        assertThat(warned).hasSize(2);
        assertThat(warned.get(0)).contains("over its request rate (" + limits.requestsPerSecond() + "/s, burst "
                + limits.requestBurst() + ")");
        assertThat(warned.get(1)).contains("closed with 1008: " + limits.violationsBeforeClose() + " requests refused");

        // the client's side: in order, served then refused
        int ok = 1; // the recall
        int refused = 0;
        for (int i = 0; i < replies.size(); i++) {
            JsonObject r = replies.get(i).json();
            assertThat(r.getString("seqno")).isEqualTo("b" + i);
            int status = r.getInt("status");
            if (status == 0) {
                assertThat(r.getInt("data")).isEqualTo(i);
                ok++;
            } else {
                assertThat(status).isEqualTo(429);
                assertThat(r.getString("msg")).isEqualTo("too many requests");
                refused++;
            }
            if (i < limits.requestBurst() - 1) {
                assertThat(status).as("reply %d, within the burst", i).isZero();
            }
        }
        // the bucket refills at the rate while the burst is read
        long refill = (long) Math.ceil(limits.requestsPerSecond() * (elapsed / 1e9));
        assertThat(ok).isLessThanOrEqualTo((int) (limits.requestBurst() + refill));
        assertThat(replies.size()).isLessThan(n);
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).isEqualTo("too many requests");
        assertThat(ok).isGreaterThanOrEqualTo(limits.requestBurst());
        assertThat(refused).isEqualTo(limits.violationsBeforeClose());
        assertThat(replies.get(replies.size() - 1).json().getInt("status")).isEqualTo(429);
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
