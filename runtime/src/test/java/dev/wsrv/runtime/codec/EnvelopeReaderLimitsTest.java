package dev.wsrv.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.codec.Inbound.DataLimit;
import jakarta.json.JsonValue;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** The limits on the shape of {@code data}: depth and object members, counted while reading. */
class EnvelopeReaderLimitsTest {

    static final String DEEPER_THAN_32 = "data nested deeper than 32 levels";
    static final String MORE_THAN_1024 = "data has more than 1024 keys";

    static String arrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String objects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** An object with {@code n} members, all numbers. */
    static String flat(int n, String prefix) {
        StringJoiner j = new StringJoiner(",", "{", "}");
        for (int i = 0; i < n; i++) {
            j.add("\"" + prefix + i + "\":" + i);
        }
        return j.toString();
    }

    /** cmd and seqno after data, so that reading must go on past the broken data to echo them. */
    static Inbound text(String data) {
        return EnvelopeReader.read("{\"data\":" + data + ",\"cmd\":\"c\",\"seqno\":\"s\"}", 32, 1024);
    }

    static Inbound binary(String data) {
        byte[] b = ("{\"data\":" + data + ",\"cmd\":\"c\",\"seqno\":\"s\"}").getBytes(StandardCharsets.UTF_8);
        return EnvelopeReader.read(ByteBuffer.wrap(b), 32, 1024);
    }

    static JsonValue parsed(String json) {
        return Json.provider().createReader(new StringReader(json)).readValue();
    }

    static void assertCall(Inbound in, String data) {
        assertThat(in).isInstanceOf(Inbound.Valid.class);
        Inbound.Valid call = (Inbound.Valid) in;
        assertThat(call.request().cmd()).isEqualTo("c");
        assertThat(call.request().seqno()).isEqualTo("s");
        assertThat(call.request().data()).isEqualTo(parsed(data));
    }

    @Test
    void depthOfExactlyTheLimitIsACall() {
        assertCall(text(arrays(32)), arrays(32));
        assertCall(text(objects(32)), objects(32));
        assertCall(binary(arrays(32)), arrays(32));
    }

    @Test
    void oneLevelDeeperIsA400WithCmdAndSeqnoReadAfterIt() {
        assertThat(text(arrays(33))).isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        assertThat(text(objects(33))).isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        assertThat(binary(arrays(33))).isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", true, DataLimit.DEPTH));
    }

    @Test
    void depthIsCountedPerBranchAndScalarsAreLevelZero() {
        String mixed = "[1,\"x\",{\"k\":" + arrays(30) + "},[[true]]," + arrays(31) + ",null]";
        assertCall(text(mixed), mixed);
        String tooDeepLater = "[1,{\"k\":" + arrays(30) + "}," + arrays(31) + ",{\"z\":[" + arrays(31) + "]}]";
        assertThat(text(tooDeepLater)).isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        assertCall(text("\"just a string\""), "\"just a string\"");
        assertCall(text("7"), "7");
    }

    @Test
    void keysAreCountedAcrossAllNestedObjects() {
        // 1 + 511 + 512 = 1024 members in three objects
        String exactly = "{\"in\":[" + flat(511, "a") + "," + flat(512, "b") + "]}";
        assertCall(text(exactly), exactly);
        String oneMore = "{\"in\":[" + flat(511, "a") + "," + flat(513, "b") + "]}";
        assertThat(text(oneMore)).isEqualTo(new Inbound.Invalid(MORE_THAN_1024, "c", "s", false, DataLimit.KEYS));
        assertThat(text(flat(1025, "k"))).isEqualTo(new Inbound.Invalid(MORE_THAN_1024, "c", "s", false, DataLimit.KEYS));
        assertCall(text(flat(1024, "k")), flat(1024, "k"));
        // array elements are not keys
        String manyElements = "[" + "1,".repeat(5000) + "1]";
        assertCall(text(manyElements), manyElements);
    }

    @Test
    void duplicateKeysCountEachTimeAndTheLastOneWins() {
        Inbound in = EnvelopeReader.read("{\"cmd\":\"c\",\"data\":{\"a\":1,\"a\":2}}", 32, 2);
        assertThat(((Inbound.Valid) in).request().data()).isEqualTo(parsed("{\"a\":2}"));
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"data\":{\"a\":1,\"a\":2,\"a\":3}}", 32, 2))
                .isEqualTo(new Inbound.Invalid("data has more than 2 keys", "c", "", false, DataLimit.KEYS));
    }

    @Test
    void theBuiltValueIsWhatTheParserBuilds() {
        String doc = "{\"s\":\"t\\u00e9\\n\",\"n\":[0,-1,1.5e300,12345678901234567890123,-0.0],\"b\":[true,false,null],"
                + "\"o\":{\"\":{},\"x\":[[],{}]},\"u\":\"\\ud83d\\ude00\"}";
        assertCall(text(doc), doc);
        Inbound.Valid limited = (Inbound.Valid) text(doc);
        Inbound.Valid unlimited = (Inbound.Valid) EnvelopeReader.read("{\"data\":" + doc + ",\"cmd\":\"c\",\"seqno\":\"s\"}");
        assertThat(limited.request().data().toString()).isEqualTo(unlimited.request().data().toString());
    }

    @Test
    void aHugeDepthStopsAtTheLimitNotAtTheParsersOwn() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + deep + "}", 32, 1024))
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        // unclosed: the skip runs into the end of the input, the limit is still the reason
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + "{\"a\":".repeat(50), 32, 1024))
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        // without limits on data, the parser's own limit answers as before
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":" + deep + "}"))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
    }

    @Test
    void aBrokenLimitStaysTheReasonWhenTheFrameIsMalformedLater() {
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"data\":" + arrays(33) + ",\"seqno\":\"s\"} x", 32, 1024))
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "s", false, DataLimit.DEPTH));
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"data\":" + flat(1025, "k") + ",\"seqno\":", 32, 1024))
                .isEqualTo(new Inbound.Invalid(MORE_THAN_1024, "c", "", false, DataLimit.KEYS));
    }

    @Test
    void malformedDataWithinTheLimitsIsMalformed() {
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":[1,", 32, 1024))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"data\":{\"a\" 1}}", 32, 1024))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "", false));
    }

    @Test
    void theFirstProblemIsTheReason() {
        assertThat(EnvelopeReader.read("{\"cmd\":1,\"seqno\":\"s\",\"data\":" + arrays(40) + "}", 32, 1024))
                .isEqualTo(new Inbound.Invalid("cmd is not a string", "", "s", false));
        assertThat(EnvelopeReader.read("{\"data\":" + arrays(40) + ",\"cmd\":1,\"seqno\":\"s\"}", 32, 1024))
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "", "s", false, DataLimit.DEPTH));
        // a later data key that fits does not undo the broken one
        assertThat(EnvelopeReader.read("{\"data\":" + arrays(40) + ",\"data\":1,\"cmd\":\"c\"}", 32, 1024))
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "", false, DataLimit.DEPTH));
    }

    @Test
    void otherKeysAreNotCounted() {
        Inbound in = EnvelopeReader.read("{\"cmd\":\"c\",\"x\":" + arrays(100) + ",\"y\":" + flat(2000, "k")
                + ",\"data\":1}", 32, 1024);
        assertThat(in).isInstanceOf(Inbound.Valid.class);
    }

    @Test
    void zeroTurnsEachLimitOff() {
        String deep = "{\"cmd\":\"c\",\"data\":" + arrays(500) + "}";
        assertThat(EnvelopeReader.read(deep, 0, 1024)).isInstanceOf(Inbound.Valid.class);
        assertThat(EnvelopeReader.read(deep, 499, 0)).isInstanceOf(Inbound.Invalid.class);
        String wide = "{\"cmd\":\"c\",\"data\":" + flat(5000, "k") + "}";
        assertThat(EnvelopeReader.read(wide, 32, 0)).isInstanceOf(Inbound.Valid.class);
        assertThat(EnvelopeReader.read(wide, 0, 4999)).isInstanceOf(Inbound.Invalid.class);
    }

    // ---------------------------------------------------------------- decoders

    static EndpointConfig endpoint(Map<String, Object> props) {
        return new EndpointConfig() {
            @Override
            public List<Class<? extends Encoder>> getEncoders() {
                return List.of();
            }

            @Override
            public List<Class<? extends Decoder>> getDecoders() {
                return List.of();
            }

            @Override
            public Map<String, Object> getUserProperties() {
                return props;
            }
        };
    }

    @Test
    void decodersTakeTheLimitsOfTheirEndpointConfig() {
        Map<String, Object> props = new HashMap<>();
        props.put(TextFrameDecoder.LIMITS_PROPERTY, WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.maxDepth", 2)
                .with("wsrv.limits.maxKeys", 3));
        TextFrameDecoder text = new TextFrameDecoder();
        text.init(endpoint(props));
        BinaryFrameDecoder bin = new BinaryFrameDecoder();
        bin.init(endpoint(props));
        String three = "{\"cmd\":\"c\",\"data\":[[[]]]}";
        String two = "{\"cmd\":\"c\",\"data\":[[]]}";
        assertThat(text.decode(three).inbound()).isInstanceOf(Inbound.Invalid.class);
        assertThat(text.decode(two).inbound()).isInstanceOf(Inbound.Valid.class);
        assertThat(bin.decode(ByteBuffer.wrap(three.getBytes(StandardCharsets.UTF_8))).inbound())
                .isInstanceOf(Inbound.Invalid.class);
        assertThat(bin.decode(ByteBuffer.wrap(two.getBytes(StandardCharsets.UTF_8))).inbound())
                .isInstanceOf(Inbound.Valid.class);
    }

    @Test
    void withoutLimitsInTheConfigDecodersUseTheConfiguredOnes() {
        TextFrameDecoder text = new TextFrameDecoder();
        text.init(endpoint(new HashMap<>()));
        // no wsrv.limits.* set in this build: the defaults, 32 levels
        assertThat(text.decode("{\"cmd\":\"c\",\"data\":" + arrays(32) + "}").inbound()).isInstanceOf(Inbound.Valid.class);
        assertThat(text.decode("{\"cmd\":\"c\",\"data\":" + arrays(33) + "}").inbound())
                .isEqualTo(new Inbound.Invalid(DEEPER_THAN_32, "c", "", false, DataLimit.DEPTH));
        TextFrameDecoder off = new TextFrameDecoder(WsrvConfig.Limits.NONE);
        assertThat(off.decode("{\"cmd\":\"c\",\"data\":" + arrays(500) + "}").inbound()).isInstanceOf(Inbound.Valid.class);
    }
}
