package dev.wsrv.runtime.codec;

import static dev.wsrv.it.support.JsonText.quoted;
import static dev.wsrv.runtime.codec.HostileEnvelopes.bytes;
import static dev.wsrv.runtime.codec.HostileEnvelopes.roundTrip;
import static dev.wsrv.runtime.codec.HostileEnvelopes.sameButBinary;
import static dev.wsrv.runtime.codec.HostileEnvelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile fields against the envelope decoder: duplicate keys, wrong types in every field, control characters
 * and invalid or overlong UTF-8. Every frame becomes a Valid request or an Invalid with the documented cmd/seqno echo.
 */
class HostileEnvelopeFieldsTest {

    @Provide
    Arbitrary<String> nasty() {
        return HostileEnvelopes.nasty();
    }

    // ---------------------------------------------------------------- duplicate keys

    record Field(String key, String type, String value) {
    }

    @Provide
    Arbitrary<Field> field() {
        Arbitrary<String> key = Arbitraries.of("cmd", "seqno", "data");
        Arbitrary<String> type = Arbitraries.of("string", "string", "number", "object");
        return Combinators.combine(key, type, Arbitraries.strings().alpha().numeric().ofMaxLength(4))
                .as((k, t, v) -> new Field(k, t, switch (t) {
                    case "string" -> v;
                    case "number" -> String.valueOf(Math.abs(v.hashCode()));
                    default -> "{\"v\":\"" + v + "\"}";
                }));
    }

    @Provide
    Arbitrary<List<Field>> fields() {
        return field().list().ofMinSize(1).ofMaxSize(6);
    }

    /**
     * Duplicate keys: the last string cmd wins, the last string-or-number seqno wins, the last data wins; any
     * cmd or seqno of the wrong type anywhere makes the frame a 400 (first problem reported).
     */
    @Property(tries = 1000)
    void duplicateKeysLastWins(@ForAll("fields") List<Field> fields) {
        StringBuilder b = new StringBuilder("{");
        String cmd = null;
        String seqno = null;
        String data = "null";
        String problem = null;
        for (Field f : fields) {
            if (b.length() > 1) {
                b.append(',');
            }
            String json = f.type().equals("string") ? quoted(f.value()) : f.value();
            b.append('"').append(f.key()).append("\":").append(json);
            switch (f.key()) {
                case "cmd" -> {
                    if (f.type().equals("string")) {
                        cmd = f.value();
                    } else if (problem == null) {
                        problem = "cmd is not a string";
                    }
                }
                case "seqno" -> {
                    if (!f.type().equals("object")) {
                        seqno = f.value();
                    }
                    if (!f.type().equals("string") && problem == null) {
                        problem = "seqno is not a string";
                    }
                }
                default -> data = json;
            }
        }
        String frame = b.append('}').toString();
        Inbound in = text(frame);
        if (problem == null && cmd != null && !cmd.isEmpty()) {
            assertThat(in).isInstanceOf(Inbound.Valid.class);
            Inbound.Valid call = (Inbound.Valid) in;
            assertThat(call.request().cmd()).isEqualTo(cmd);
            assertThat(call.request().seqno()).isEqualTo(seqno == null ? "" : seqno);
            assertThat(call.request().data()).isEqualTo(Json.createReader(new StringReader(data)).readValue());
        } else {
            String reason = problem != null ? problem : "cmd is missing";
            assertThat(in).isEqualTo(new Inbound.Invalid(reason, cmd == null ? "" : cmd, seqno == null ? "" : seqno, false));
        }
        // consistent: the same frame always decodes the same way
        assertThat(text(frame)).isEqualTo(in);
    }

    // ---------------------------------------------------------------- wrong types

    enum Kind {
        ABSENT, STRING, EMPTY_STRING, NUMBER, TRUE, FALSE, NULL, ARRAY, OBJECT;

        String json() {
            return switch (this) {
                case ABSENT -> null;
                case STRING -> "\"v\"";
                case EMPTY_STRING -> "\"\"";
                case NUMBER -> "-12.5e2";
                case TRUE -> "true";
                case FALSE -> "false";
                case NULL -> "null";
                case ARRAY -> "[1,\"x\",{}]";
                case OBJECT -> "{\"a\":[1]}";
            };
        }
    }

    /** Every type in every field (exhaustive: 9 x 9 x 9 combinations). */
    @Property(tries = 729)
    void wrongTypesInEveryField(@ForAll Kind cmd, @ForAll Kind seqno, @ForAll Kind data) {
        StringBuilder b = new StringBuilder("{");
        if (cmd != Kind.ABSENT) {
            b.append("\"cmd\":").append(cmd.json()).append(',');
        }
        if (seqno != Kind.ABSENT) {
            b.append("\"seqno\":").append(seqno.json()).append(',');
        }
        if (data != Kind.ABSENT) {
            b.append("\"data\":").append(data.json()).append(',');
        }
        b.append("\"z\":0}");
        Inbound in = text(b.toString());

        String cmdEcho = cmd == Kind.STRING ? "v" : "";
        String seqnoEcho = seqno == Kind.STRING ? "v" : seqno == Kind.NUMBER ? "-12.5e2" : "";
        boolean cmdBad = cmd != Kind.ABSENT && cmd != Kind.STRING && cmd != Kind.EMPTY_STRING;
        boolean seqnoBad = seqno != Kind.ABSENT && seqno != Kind.STRING && seqno != Kind.EMPTY_STRING;
        if (cmdBad) {
            assertThat(in).isEqualTo(new Inbound.Invalid("cmd is not a string", cmdEcho, seqnoEcho, false));
        } else if (seqnoBad) {
            assertThat(in).isEqualTo(new Inbound.Invalid("seqno is not a string", cmdEcho, seqnoEcho, false));
        } else if (cmd != Kind.STRING) {
            assertThat(in).isEqualTo(new Inbound.Invalid("cmd is missing", "", seqnoEcho, false));
        } else {
            assertThat(in).isInstanceOf(Inbound.Valid.class);
            Inbound.Valid call = (Inbound.Valid) in;
            assertThat(call.request().cmd()).isEqualTo("v");
            assertThat(call.request().seqno()).isEqualTo(seqnoEcho);
            JsonValue expected = data == Kind.ABSENT ? JsonValue.NULL
                    : Json.createReader(new StringReader(data.json())).readValue();
            assertThat(call.request().data()).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- NUL and control characters

    @Property(tries = 2000)
    void controlCharsInCmdAndSeqnoRoundTripThroughTheReply(@ForAll("nasty") String cmd, @ForAll("nasty") String seqno,
            @ForAll boolean breakData) {
        String frame = "{\"seqno\":" + quoted(seqno) + ",\"cmd\":" + quoted(cmd) + ",\"data\":" + (breakData ? "[1," : "{}") + "}";
        Inbound in = text(frame);
        String gotCmd;
        String gotSeqno;
        if (in instanceof Inbound.Valid call) {
            assertThat(breakData).isFalse();
            gotCmd = call.request().cmd();
            gotSeqno = call.request().seqno();
        } else {
            Inbound.Invalid bad = (Inbound.Invalid) in;
            assertThat(bad.reason()).isEqualTo(breakData ? "malformed JSON" : "cmd is missing");
            gotCmd = bad.cmd();
            gotSeqno = bad.seqno();
        }
        assertThat(gotCmd).isEqualTo(cmd);
        assertThat(gotSeqno).isEqualTo(seqno);
        roundTrip(new Reply(gotCmd, gotSeqno, in instanceof Inbound.Valid ? 0 : 400, "ok", null));
        // the same bytes as a binary frame read the same, unless the strings hold lone surrogates (not UTF-8)
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(utf8)).isEqualTo(sameButBinary(in));
    }

    /** A raw (unescaped) control character inside a JSON string is not JSON: 400, with what came before it. */
    @Property(tries = 300)
    void rawControlCharsInStringsAreInvalid(@ForAll @IntRange(min = 0, max = 0x1f) int c, @ForAll boolean inSeqno) {
        String raw = "a" + (char) c + "b";
        String frame = inSeqno ? "{\"cmd\":\"c\",\"seqno\":\"" + raw + "\"}" : "{\"seqno\":\"s\",\"cmd\":\"" + raw + "\"}";
        Inbound in = text(frame);
        assertThat(in).isInstanceOf(Inbound.Invalid.class);
        Inbound.Invalid bad = (Inbound.Invalid) in;
        assertThat(bad.cmd()).isEqualTo(inSeqno ? "c" : "");
        assertThat(bad.seqno()).isEqualTo(inSeqno ? "" : "s");
    }

    // ---------------------------------------------------------------- invalid and overlong UTF-8

    @Provide
    Arbitrary<byte[]> badUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC0, (byte) 0x80},                           // overlong NUL
                new byte[] {(byte) 0xC1, (byte) 0xBF},                           // overlong DEL
                new byte[] {(byte) 0xC0, (byte) 0xA2},                           // overlong '"'
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},              // overlong '/'
                new byte[] {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},              // overlong U+07FF
                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xA2}, // overlong '"'
                new byte[] {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, // overlong U+FFFF
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},              // UTF-8-encoded surrogate
                new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // > U+10FFFF
                new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xBF, (byte) 0xBF},                           // lone continuations
                new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x82}, // truncated sequences
                new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
                new byte[] {(byte) 0xC3, (byte) 0x28});
    }

    @Property(tries = 1000)
    void invalidOrOverlongUtf8InABinaryFrameIsInvalid(@ForAll("badUtf8") byte[] bad,
            @ForAll @IntRange(min = 0, max = 1000) int at, @ForAll("nasty") String cmd) {
        byte[] good = ("{\"cmd\":" + quoted(cmd.isEmpty() ? "c" : cmd) + ",\"seqno\":\"s\",\"data\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        int pos = at % (good.length + 1);
        byte[] frame = new byte[good.length + bad.length];
        System.arraycopy(good, 0, frame, 0, pos);
        System.arraycopy(bad, 0, frame, pos, bad.length);
        System.arraycopy(good, pos, frame, pos + bad.length, good.length - pos);
        assertThat(bytes(frame)).isEqualTo(new Inbound.Invalid("binary frame is not UTF-8", "", "", true));
    }
}
