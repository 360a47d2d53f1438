package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/protocol.md#close-codes-the-server-uses: message size and UTF-8; other sessions unaffected. */
@Timeout(60)
class LimitsTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class));

    /** A request frame of exactly {@code size} bytes. */
    static String frameOf(int size) {
        String head = "{\"cmd\":\"nothing\",\"seqno\":\"big\",\"data\":\"";
        String tail = "\"}";
        return head + "x".repeat(size - head.length() - tail.length()) + tail;
    }

    @Test
    void aMessageOfExactlyTheLimitIsServed() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            String frame = frameOf(64 * 1024);
            assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(65536);
            c.sendText(frame);
            assertThat(c.nextJson().getInt("status")).isZero();
        }
    }

    @Test
    void oneByteOverTheLimitClosesWith1009AndOthersGoOn() throws Exception {
        try (TestClient other = TestClient.connect(server.uri()); TestClient c = TestClient.connect(server.uri())) {
            c.sendText(frameOf(64 * 1024 + 1));
            assertThat(c.awaitClose().code()).isEqualTo(1009);
            assertThat(other.request("echo", "still", "1").getInt("status")).isZero();
        }
    }

    /**
     * A frame larger than the container's buffer (four times the limit) is refused by the container, which logs it;
     * a client sending them one after another writes at most one line per 10 s, each without a stack trace.
     */
    @Test
    void framesFarOverTheLimitLogOneLineWithoutAStackTrace() throws Exception {
        try (LogCapture log = LogCapture.of(""); TestClient other = TestClient.connect(server.uri())) {
            byte[] huge = new byte[5 * 64 * 1024];
            java.util.Arrays.fill(huge, (byte) 'x');
            for (int i = 0; i < 5; i++) {
                try (RawClient raw = new RawClient(server.uri())) {
                    try {
                        raw.sendText(huge);
                        raw.awaitClose();
                    } catch (java.io.IOException closedMeanwhile) {
                        // how the connection ends is the transport's business; the log is what this test is about
                    }
                }
            }
            assertThat(other.request("echo", "still", "1").getInt("status")).isZero();
            List<java.util.logging.LogRecord> warnings = log.atLeast(Level.WARNING);
            assertThat(warnings).allSatisfy(r -> assertThat(r.getThrown()).as(r.getMessage()).isNull());
            assertThat(log.messages()).allSatisfy(m -> assertThat(m).doesNotContain("\n", "\r"));
            assertThat(warnings).filteredOn(r -> r.getLoggerName().startsWith("org.glassfish")).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void invalidUtf8ClosesWith1007AndOthersGoOn() throws Exception {
        try (TestClient other = TestClient.connect(server.uri()); RawClient raw = new RawClient(server.uri())) {
            byte[] bad = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            raw.sendText(bad);
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
            assertThat(other.request("echo", "still", "1").getInt("status")).isZero();
        }
    }

    /** cmd and seqno after data, so that the server must read past the broken data to echo them. */
    static String dataFirst(String data, String seqno) {
        return "{\"data\":" + data + ",\"cmd\":\"echo\",\"seqno\":\"" + seqno + "\"}";
    }

    static String nested(int depth) {
        return "{\"a\":[".repeat(depth / 2) + (depth % 2 == 1 ? "{}" : "1") + "]}".repeat(depth / 2);
    }

    static String keys(int n) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    static String sessionId(TestClient c) throws Exception {
        return c.request("recall", "id", null).getJsonObject("data").getString("session");
    }

    static List<String> warningsOf(LogCapture log, String sessionId) {
        return log.atLeast(Level.WARNING).stream().map(r -> new SimpleFormatter().formatMessage(r))
                .filter(m -> m.contains(sessionId)).toList();
    }

    @Test
    void dataThirtyThreeLevelsDeepIsABadRequestThirtyTwoIsServed() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv"); TestClient c = TestClient.connect(server.uri())) {
            String id = sessionId(c);
            c.sendText(dataFirst(nested(32), "d32"));
            JsonObject ok = c.nextJson();
            assertThat(ok.getInt("status")).isZero();
            assertThat(ok.get("data").toString()).isEqualTo(nested(32));
            for (String seqno : new String[] {"d33", "d33-again", "d990"}) {
                c.sendText(dataFirst(seqno.equals("d990") ? nested(990) : nested(33), seqno));
                JsonObject r = c.nextJson();
                assertThat(r.getString("cmd")).isEqualTo("echo");
                assertThat(r.getString("seqno")).isEqualTo(seqno);
                assertThat(r.getInt("status")).isEqualTo(400);
                assertThat(r.getString("msg")).isEqualTo("bad request");
            }
            assertThat(c.request("echo", "after", "[[1]]").getInt("status")).isZero();
            assertThat(warningsOf(log, id)).hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains("data nested deeper than 32 levels"));
        }
    }

    @Test
    void dataWithMoreThan1024KeysIsABadRequest() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv"); TestClient c = TestClient.connect(server.uri())) {
            String id = sessionId(c);
            c.sendText(dataFirst(keys(1024), "k1024"));
            assertThat(c.nextJson().getInt("status")).isZero();
            c.sendText(dataFirst("{\"in\":" + keys(1000) + ",\"more\":" + keys(24) + "}", "k1026"));
            JsonObject r = c.nextJson();
            assertThat(r.getString("cmd")).isEqualTo("echo");
            assertThat(r.getString("seqno")).isEqualTo("k1026");
            assertThat(r.getInt("status")).isEqualTo(400);
            c.sendBinary(dataFirst(keys(1025), "k1025").getBytes(StandardCharsets.UTF_8));
            TestClient.Message m = c.next();
            assertThat(m.binary()).isTrue();
            assertThat(m.json().getString("seqno")).isEqualTo("k1025");
            assertThat(m.json().getInt("status")).isEqualTo(400);
            assertThat(warningsOf(log, id)).hasSize(1)
                    .allSatisfy(w -> assertThat(w).contains("data has more than 1024 keys"));
        }
    }

    @Test
    void invalidUtf8InABinaryFrameIsABadRequest() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendBinary(new byte[] {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            assertThat(c.nextJson().getInt("status")).isEqualTo(400);
            assertThat(c.request("echo", "still", "1").getInt("status")).isZero();
        }
    }
}
