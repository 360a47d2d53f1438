package dev.wsrv.runtime.codec;

import static dev.wsrv.it.support.JsonText.quoted;
import static dev.wsrv.runtime.codec.HostileEnvelopes.bounded;
import static dev.wsrv.runtime.codec.HostileEnvelopes.bytes;
import static dev.wsrv.runtime.codec.HostileEnvelopes.checked;
import static dev.wsrv.runtime.codec.HostileEnvelopes.roundTrip;
import static dev.wsrv.runtime.codec.HostileEnvelopes.sameButBinary;
import static dev.wsrv.runtime.codec.HostileEnvelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input against the envelope decoder: random bytes and text, truncated requests, deep nesting and huge
 * numbers. It never throws, and every frame becomes a Valid request, a Heartbeat or an Invalid with the documented
 * cmd/seqno echo.
 */
class HostileEnvelopePropertiesTest {

    @Provide
    Arbitrary<String> nasty() {
        return HostileEnvelopes.nasty();
    }

    @Provide
    Arbitrary<String> jsonValue() {
        return HostileEnvelopes.jsonValue();
    }

    @Provide
    Arbitrary<String> jsonish() {
        return HostileEnvelopes.jsonish();
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
}
