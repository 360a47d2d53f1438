package dev.wsrv.runtime.codec;

import static dev.wsrv.it.support.JsonText.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import dev.wsrv.it.support.JsonText;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input against the envelope decoder: it never throws, and every frame becomes a Valid request, a
 * Heartbeat or an Invalid with the documented cmd/seqno echo.
 */
class HostileEnvelopePropertiesTest {

    // ---------------------------------------------------------------- generators

    /** Strings rich in NUL, control characters, quotes, backslashes, line separators and any other char. */
    @Provide
    Arbitrary<String> nasty() {
        Arbitrary<Character> special = Arbitraries.of('\u0000', '\n', '\r', '\t', '\b', '\f', '\u001b', '\u001f',
                '\u007f', '\u0085', '\u2028', '\u2029', '"', '\\', '/', '\ufeff', '\uffff', 'a', '{', '}');
        Arbitrary<Character> any = Arbitraries.chars().all();
        Arbitrary<Character> control = Arbitraries.chars().range('\u0000', '\u001f');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, special), net.jqwik.api.Tuple.of(3, control),
                        net.jqwik.api.Tuple.of(2, any), net.jqwik.api.Tuple.of(2, Arbitraries.chars().alpha()))
                .list().ofMaxSize(40).map(l -> {
                    StringBuilder b = new StringBuilder();
                    l.forEach(b::append);
                    return b.toString();
                });
    }

    /** Random JSON values (as text), nested a little. */
    @Provide
    Arbitrary<String> jsonValue() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.of("null", "true", "false", "0", "-1", "1.5e3", "12345678901234567890", "{}", "[]"),
                () -> nasty().map(JsonText::quoted),
                () -> Arbitraries.integers().map(String::valueOf),
                () -> jsonValue().list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                () -> Combinators.combine(nasty(), jsonValue()).as((k, v) -> quoted(k) + ":" + v)
                        .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}"));
    }

    /** Concatenations of JSON-ish tokens: reaches deeper into the parser than uniformly random text. */
    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.of("{", "}", "[", "]", ":", ",", "\"cmd\"", "\"seqno\"", "\"data\"", "\"x\"", "\"echo\"",
                        "1", "-0.5e3", "1e999999999", "true", "null", "\"\\u0000\"", "\"\\ud800\"", "\"", "\\", " ",
                        "\n", "\u0000", "é", "\ud83d\ude00", "\ud800", "tru", "01", "-", ".5", "[[[[", "]]]]")
                .list().ofMaxSize(30).map(l -> String.join("", l));
    }

    // ---------------------------------------------------------------- helpers

    static Inbound checked(Inbound in, boolean binary) {
        assertThat(in).isNotNull();
        assertThat(in).isInstanceOfAny(Inbound.Valid.class, Inbound.Heartbeat.class, Inbound.Invalid.class);
        assertThat(in.binary()).isEqualTo(binary);
        if (in instanceof Inbound.Invalid bad) {
            assertThat(bad.cmd()).isNotNull();
            assertThat(bad.seqno()).isNotNull();
            assertThat(bad.reason()).isNotBlank();
            // the 400 reply built from it is valid JSON and round-trips cmd/seqno
            roundTrip(new Reply(bad.cmd(), bad.seqno(), 400, "bad request", null));
        }
        if (in instanceof Inbound.Valid call) {
            assertThat(call.request().cmd()).isNotEmpty();
            assertThat(call.request().seqno()).isNotNull();
            assertThat(call.request().data()).isNotNull();
        }
        return in;
    }

    /** Encodes a reply, re-parses it with Parsson, and checks cmd/seqno survive exactly. */
    static JsonObject roundTrip(Reply reply) {
        String json = ReplyEncoder.toJson(reply);
        // a lone surrogate would make the container fail to send the frame
        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(json)).as("UTF-8-encodable: %s", json).isTrue();
        for (int i = 0; i < json.length(); i++) {
            assertThat(json.charAt(i)).as("raw control char at %d in %s", i, json).isGreaterThanOrEqualTo('\u0020');
        }
        JsonObject o = Json.createReader(new StringReader(json)).readObject();
        assertThat(o.getString("cmd")).isEqualTo(reply.cmd());
        assertThat(o.getString("seqno")).isEqualTo(reply.seqno());
        assertThat(o.getInt("status")).isEqualTo(reply.status());
        return o;
    }

    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ExecutorService> WORKER =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Runs a decode with a 5 s bound, so that a hang fails the property instead of the build. */
    static Inbound bounded(java.util.concurrent.Callable<Inbound> decode, Object input) {
        java.util.concurrent.ExecutorService ex = WORKER.updateAndGet(e -> e != null ? e
                : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "decode");
                    t.setDaemon(true);
                    return t;
                }));
        java.util.concurrent.Future<Inbound> f = ex.submit(decode);
        try {
            return f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            WORKER.set(null); // the stuck thread is abandoned (daemon)
            throw new AssertionError("decoder did not return within 5 s for: " + abbreviate(input));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("decoder threw for: " + abbreviate(input), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String abbreviate(Object input) {
        String s = input instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(input);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static Inbound text(String s) {
        Inbound in = bounded(() -> EnvelopeReader.read(s), s);
        // the reader without limits on data: the decoder with those limits off must agree with it
        TextFrame viaDecoder = new TextFrameDecoder(WsrvConfig.Limits.NONE).decode(s);
        assertThat(viaDecoder.inbound()).isEqualTo(in);
        return checked(in, false);
    }

    static Inbound bytes(byte[] b) {
        Inbound in = bounded(() -> EnvelopeReader.read(ByteBuffer.wrap(b)), b);
        BinaryFrame viaDecoder = new BinaryFrameDecoder(WsrvConfig.Limits.NONE).decode(ByteBuffer.wrap(b));
        assertThat(viaDecoder.inbound()).isEqualTo(in);
        assertThat(viaDecoder.weight()).isEqualTo(b.length);
        return checked(in, true);
    }

    // ---------------------------------------------------------------- random input

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] b) {
        Inbound in = bytes(b);
        if (b.length == 0) {
            assertThat(in).isEqualTo(new Inbound.Heartbeat(true));
        } else {
            assertThat(in).isNotInstanceOf(Inbound.Heartbeat.class);
        }
    }

    @Property(tries = 2000)
    void randomStringsNeverThrow(@ForAll @Size(max = 300) String s) {
        Inbound in = text(s);
        assertThat(in instanceof Inbound.Heartbeat).isEqualTo(s.isEmpty());
    }

    @Property(tries = 3000)
    void jsonishTextAndBytesNeverThrow(@ForAll("jsonish") String s) {
        Inbound t = text(s);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        Inbound b = bytes(utf8);
        // a string without lone surrogates reads the same from text and binary
        if (new String(utf8, StandardCharsets.UTF_8).equals(s)) {
            assertThat(sameButBinary(t)).isEqualTo(b);
        }
    }

    /**
     * The reader builds data itself when limits on its shape are on: limits the input cannot reach change nothing,
     * for well-formed and broken input alike (the value, the reason, the echoed cmd and seqno).
     */
    @Property(tries = 3000)
    void dataLimitsThatAreNotReachedChangeNothing(@ForAll("jsonish") String data, @ForAll boolean dataFirst) {
        String s = dataFirst ? "{\"data\":" + data + ",\"cmd\":\"c\",\"seqno\":\"s\"}"
                : "{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + data + "}";
        Inbound unlimited = bounded(() -> EnvelopeReader.read(s), s);
        Inbound limited = bounded(() -> EnvelopeReader.read(s, 1_000, 1_000_000), s);
        assertThat(limited).isEqualTo(unlimited);
        Inbound tight = checked(bounded(() -> EnvelopeReader.read(s, 2, 3), s), false);
        if (tight instanceof Inbound.Valid) {
            assertThat(tight).isEqualTo(unlimited);
        }
    }

    static Inbound sameButBinary(Inbound in) {
        if (in instanceof Inbound.Valid c) {
            return new Inbound.Valid(c.request(), true);
        } else if (in instanceof Inbound.Invalid i) {
            return new Inbound.Invalid(i.reason(), i.cmd(), i.seqno(), true);
        }
        return new Inbound.Heartbeat(true);
    }

    // ---------------------------------------------------------------- truncation

    @Property(tries = 1000)
    void truncatedRequestsAreInvalidAndEchoWhatWasComplete(@ForAll("nasty") String cmd, @ForAll("nasty") String seqno,
            @ForAll("jsonValue") String data, @ForAll @IntRange(min = 0, max = 5) int order,
            @ForAll @IntRange(min = 0, max = 1_000_000) int cutSeed) {
        List<String> keys = new ArrayList<>(List.of("cmd", "seqno", "data"));
        java.util.Collections.rotate(keys, order % 3);
        if (order >= 3) {
            java.util.Collections.swap(keys, 0, 1);
        }
        StringBuilder b = new StringBuilder("{");
        int cmdEnd = -1;
        int seqnoEnd = -1;
        for (String k : keys) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":");
            switch (k) {
                case "cmd" -> cmdEnd = b.append(quoted(cmd)).length();
                case "seqno" -> seqnoEnd = b.append(quoted(seqno)).length();
                default -> b.append(data);
            }
        }
        String full = b.append('}').toString();
        Inbound whole = text(full);
        if (!cmd.isEmpty()) {
            assertThat(whole).isInstanceOf(Inbound.Valid.class);
        }
        int cut = cutSeed % full.length();
        String prefix = full.substring(0, cut);
        Inbound in = text(prefix);
        if (cut == 0) {
            assertThat(in).isEqualTo(new Inbound.Heartbeat(false));
            return;
        }
        assertThat(in).isInstanceOf(Inbound.Invalid.class);
        Inbound.Invalid bad = (Inbound.Invalid) in;
        assertThat(bad.cmd()).isEqualTo(cut >= cmdEnd ? cmd : "");
        assertThat(bad.seqno()).isEqualTo(cut >= seqnoEnd ? seqno : "");
        // the same, as a binary frame, unless the cut split a surrogate pair
        if (!Character.isHighSurrogate(full.charAt(cut - 1))) {
            assertThat(bytes(prefix.getBytes(StandardCharsets.UTF_8))).isEqualTo(sameButBinary(in));
        }
    }

    // ---------------------------------------------------------------- deep nesting

    @Property(tries = 30)
    void deepNestingIsInvalidNotAStackOverflow(@ForAll @IntRange(min = 1_001, max = 100_000) int depth,
            @ForAll boolean objects, @ForAll boolean closed, @ForAll boolean binary) {
        String open = objects ? "{\"a\":" : "[";
        String close = objects ? "}" : "]";
        String deep = open.repeat(depth) + (objects ? "1" : "") + (closed ? close.repeat(depth) : "");
        String frame = "{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + deep + "}";
        Inbound in = binary ? bytes(frame.getBytes(StandardCharsets.UTF_8)) : text(frame);
        assertThat(in).isInstanceOf(Inbound.Invalid.class);
        assertThat(((Inbound.Invalid) in).cmd()).isEqualTo("c");
        assertThat(((Inbound.Invalid) in).seqno()).isEqualTo("s");
    }

    @Example
    void hundredThousandLevelsInEveryField() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(text("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + deep + "}"))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
        assertThat(text("{\"cmd\":" + deep + ",\"seqno\":\"s\"}")).isInstanceOf(Inbound.Invalid.class);
        assertThat(text("{\"cmd\":\"c\",\"seqno\":" + deep + "}")).isInstanceOf(Inbound.Invalid.class);
        // an ignored key is skipped without building its value, but under the same depth limit as everything else
        assertThat(text("{\"cmd\":\"c\",\"seqno\":\"s\",\"other\":" + deep + "}"))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
        assertThat(text(deep)).isEqualTo(new Inbound.Invalid("not a JSON object", "", "", false));
        assertThat(text("{\"cmd\":\"c\",\"data\":" + "{\"a\":".repeat(100_000))).isInstanceOf(Inbound.Invalid.class);
    }

    /**
     * A skipped container (ignored key, or cmd/seqno of the wrong type) still open at the end of the frame: Parsson
     * 1.1.7's skipObject/skipArray spin for ever there, so the reader walks such values itself.
     */
    @Example
    void anUnclosedSkippedContainerIsMalformedNotAHang() {
        assertThat(text("{\"x\":[")).isEqualTo(new Inbound.Invalid("malformed JSON", "", "", false));
        assertThat(text("{\"cmd\":{")).isEqualTo(new Inbound.Invalid("malformed JSON", "", "", false));
        assertThat(text("{\"seqno\":[1")).isEqualTo(new Inbound.Invalid("malformed JSON", "", "", false));
    }

    @Property(tries = 200)
    void nestingWithinTheParserLimitIsACall(@ForAll @IntRange(min = 1, max = 998) int depth) {
        String frame = "{\"cmd\":\"c\",\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        Inbound in = text(frame);
        assertThat(in).isInstanceOf(Inbound.Valid.class);
        // the reply that echoes it is fine too
        roundTrip(new Reply("c", "", 0, "ok", ((Inbound.Valid) in).request().data()));
    }

    // ---------------------------------------------------------------- huge numbers

    static String digits(int n, int seed) {
        StringBuilder b = new StringBuilder(n).append((char) ('1' + Math.abs(seed % 9)));
        for (int i = 1; i < n; i++) {
            b.append((char) ('0' + Math.abs((seed * 31 + i * 7) % 10)));
        }
        return b.toString();
    }

    /** A numeric seqno is echoed as text, like any seqno only up to 256 characters. */
    @Property(tries = 50)
    void hugeNumberInSeqnoIsInvalidAndEchoedAsText(@ForAll @IntRange(min = 1, max = 10_000) int n, @ForAll int seed) {
        String num = digits(n, seed);
        Inbound in = text("{\"cmd\":\"c\",\"seqno\":" + num + "}");
        assertThat(in).isEqualTo(new Inbound.Invalid("seqno is not a string", "c", n <= 256 ? num : "", false));
    }

    @Property(tries = 50)
    void hugeNumberAsCmdOrIgnoredKey(@ForAll @IntRange(min = 1, max = 10_000) int n, @ForAll int seed) {
        String num = digits(n, seed);
        assertThat(text("{\"cmd\":" + num + ",\"seqno\":\"s\"}"))
                .isEqualTo(new Inbound.Invalid("cmd is not a string", "", "s", false));
        assertThat(text("{\"cmd\":\"c\",\"other\":" + num + "}")).isInstanceOf(Inbound.Valid.class);
    }

    /**
     * A number in data is read as a JsonNumber, of at most {@link dev.wsrv.runtime.codec.Json#MAX_NUMBER_LENGTH}
     * (1,100) characters; a longer one makes the frame a 400 ("malformed JSON").
     */
    @Property(tries = 100)
    void hugeNumberInData(@ForAll @IntRange(min = 1, max = 10_000) int n, @ForAll int seed, @ForAll boolean negExp) {
        String num = digits(n, seed) + (negExp ? "e-5" : "");
        Inbound in = text("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":[" + num + "]}");
        assertThat(in instanceof Inbound.Valid).as("%d characters", num.length())
                .isEqualTo(num.length() <= dev.wsrv.runtime.codec.Json.MAX_NUMBER_LENGTH);
        if (in instanceof Inbound.Valid call) {
            JsonNumber v = call.request().data().asJsonArray().getJsonNumber(0);
            assertThat(v.bigDecimalValue()).isEqualByComparingTo(new BigDecimal(num));
            JsonObject echoed = roundTrip(new Reply("c", "s", 0, "ok", call.request().data()));
            assertThat(echoed.getJsonArray("data").getJsonNumber(0).bigDecimalValue())
                    .isEqualByComparingTo(new BigDecimal(num));
        } else {
            assertThat(in).isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
        }
        assertThat(in instanceof Inbound.Valid).isEqualTo(text("{\"cmd\":\"c\",\"data\":" + num + "}") instanceof Inbound.Valid);
    }

    @Example
    void tenThousandDigitsInDataIsABadRequest() {
        assertThat(text("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + digits(10_000, 3) + "}"))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
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
