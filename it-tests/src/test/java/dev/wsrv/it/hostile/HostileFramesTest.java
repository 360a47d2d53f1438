package dev.wsrv.it.hostile;

import static dev.wsrv.it.hostile.HostileServer.assertNoLeak;
import static dev.wsrv.it.hostile.HostileServer.stillUsable;
import static dev.wsrv.it.support.JsonText.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
 * Random and malformed frames through a real client against a running embedded server: random text and binary
 * frames, control characters in {@code cmd} and {@code seqno}, invalid UTF-8. After every case: the connection got
 * its documented reply or close code, no stack trace or class name reached the client, a bystander session still
 * answers, and nothing was logged at SEVERE except the documented 500 path.
 */
class HostileFramesTest {

    static HostileServer hostile;

    @BeforeContainer
    static void start() throws Exception {
        hostile = HostileServer.start();
    }

    static URI uri() {
        return hostile.server.uri();
    }

    @AfterContainer
    static void stop() {
        hostile.close();
    }

    @AfterProperty
    void everyoneElseIsFineAndNothingSevere() throws Exception {
        hostile.everyoneElseIsFineAndNothingSevere();
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
        try (TestClient c = TestClient.connect(uri())) {
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
            return 1 + a.stream().mapToInt(HostileFramesTest::depth).max().orElse(0);
        }
        if (v instanceof JsonObject o) {
            return 1 + o.values().stream().mapToInt(HostileFramesTest::depth).max().orElse(0);
        }
        return 0;
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void randomBinaryFramesGetOneReplyAndTheConnectionStaysUsable(@ForAll @Size(max = 1000) byte[] frame)
            throws Exception {
        try (TestClient c = TestClient.connect(uri())) {
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
        try (TestClient c = TestClient.connect(uri())) {
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
        try (TestClient before = TestClient.connect(uri()); RawClient raw = new RawClient(uri())) {
            raw.sendText(inject(bad, at));
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
            stillUsable(before);
        }
    }

    @Property(tries = 40)
    void invalidUtf8InABinaryFrameIs400OnTheSameRawConnection(@ForAll("badUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 100) int at) throws Exception {
        try (RawClient raw = new RawClient(uri())) {
            raw.send(0x2, inject(bad, at));
            RawClient.Frame f = raw.read();
            assertThat(f.opcode()).isEqualTo(0x2);
            assertNoLeak(f.text());
            assertThat(f.text()).isEqualTo("{\"cmd\":\"\",\"seqno\":\"\",\"status\":400,\"msg\":\"bad request\",\"data\":{}}");
            raw.sendText("{\"cmd\":\"echo\",\"seqno\":\"v\",\"data\":2}".getBytes(StandardCharsets.UTF_8));
            assertThat(raw.read().text()).isEqualTo("{\"cmd\":\"echo\",\"seqno\":\"v\",\"status\":0,\"msg\":\"ok\",\"data\":2}");
        }
    }
}
