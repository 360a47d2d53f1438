package dev.wsrv.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {

    @Test
    void readsAFullRequest() {
        Inbound in = EnvelopeReader.read("{\"seqno\":\"s\",\"x\":[1,{\"a\":2}],\"data\":{\"k\":1},\"cmd\":\"c\"}");
        assertThat(in).isInstanceOf(Inbound.Valid.class);
        Inbound.Valid call = (Inbound.Valid) in;
        assertThat(call.request().cmd()).isEqualTo("c");
        assertThat(call.request().seqno()).isEqualTo("s");
        assertThat(call.request().data().toString()).isEqualTo("{\"k\":1}");
        assertThat(call.binary()).isFalse();
    }

    @Test
    void dataPassedOnAsItCameIsCopiedFromTheFrameWithLineSeparatorsEscaped() {
        Inbound.Valid call = (Inbound.Valid) EnvelopeReader.read(
                "{\"cmd\":\"c\",\"data\" : { \"a\" : [1, \"x\u2028\\ud800\"] } ,\"seqno\":\"s\"}");
        assertThat(call.data().text()).isEqualTo("{ \"a\" : [1, \"x\u2028\\ud800\"] }");
        JsonValue data = call.request().data();
        assertThat(ReplyEncoder.toJson(new Reply("c", "s", 0, "ok", data)))
                .isEqualTo("{\"cmd\":\"c\",\"seqno\":\"s\",\"status\":0,\"msg\":\"ok\","
                        + "\"data\":{ \"a\" : [1, \"x\\u2028\\ud800\"] }}");
        // looked into, it is the value the text holds, and the same object on every call
        assertThat(data.asJsonObject().getJsonArray("a").getInt(0)).isEqualTo(1);
        assertThat(data.asJsonObject().getJsonArray("a").getString(1)).isEqualTo("x\u2028\ud800");
        assertThat(call.request().data()).isSameAs(data);
    }

    @Test
    void dataInsideAValueThatJsonbWritesIsWrittenAsItsValue() {
        Inbound.Valid call = (Inbound.Valid) EnvelopeReader.read("{\"cmd\":\"c\",\"data\":{\"a\":[1,{\"b\":null}]}}");
        assertThat(ReplyEncoder.toJson(new Reply("c", "", 0, "ok", Map.of("d", call.request().data()))))
                .endsWith(",\"data\":{\"d\":{\"a\":[1,{\"b\":null}]}}}");
    }

    @Test
    void absentFieldsDefault() {
        Inbound.Valid call = (Inbound.Valid) EnvelopeReader.read("{\"cmd\":\"c\"}");
        assertThat(call.request().seqno()).isEmpty();
        assertThat(call.request().data()).isEqualTo(JsonValue.NULL);
    }

    @Test
    void emptyFramesAreHeartbeats() {
        assertThat(EnvelopeReader.read("")).isEqualTo(new Inbound.Heartbeat(false));
        assertThat(EnvelopeReader.read(ByteBuffer.allocate(0))).isEqualTo(new Inbound.Heartbeat(true));
    }

    @Test
    void keepsWhatWasReadBeforeTheProblem() {
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"s\",\"data\":[1,"))
                .isEqualTo(new Inbound.Invalid("malformed JSON", "c", "s", false));
    }

    @Test
    void deepNestingIsABadRequestNotAStackOverflow() {
        String deep = "{\"cmd\":\"c\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThat(EnvelopeReader.read(deep)).isInstanceOf(Inbound.Invalid.class);
    }

    @Test
    void binaryFramesAreStrictUtf8() {
        byte[] ok = "{\"cmd\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(((Inbound.Valid) EnvelopeReader.read(ByteBuffer.wrap(ok))).request().cmd()).isEqualTo("ü");
        byte[] bad = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThat(EnvelopeReader.read(ByteBuffer.wrap(bad))).isInstanceOf(Inbound.Invalid.class);
    }

    @Test
    void cmdAndSeqnoOfUpTo256CharactersAreRead() {
        String c = "c".repeat(256);
        String q = "\ud83d\ude00".repeat(128);
        Inbound.Valid call = (Inbound.Valid) EnvelopeReader.read("{\"cmd\":\"" + c + "\",\"seqno\":\"" + q + "\"}");
        assertThat(call.request().cmd()).isEqualTo(c);
        assertThat(call.request().seqno()).isEqualTo(q);
    }

    @Test
    void aLongerCmdOrSeqnoIsABadRequestThatEchoesItAsEmpty() {
        String c = "c".repeat(257);
        String q = "q".repeat(60_000);
        assertThat(EnvelopeReader.read("{\"cmd\":\"" + c + "\",\"seqno\":\"s\"}"))
                .isEqualTo(new Inbound.Invalid("cmd longer than 256 characters", "", "s", false));
        assertThat(EnvelopeReader.read("{\"cmd\":\"c\",\"seqno\":\"" + q + "\"}"))
                .isEqualTo(new Inbound.Invalid("seqno longer than 256 characters", "c", "", false));
        assertThat(EnvelopeReader.read("{\"seqno\":" + "7".repeat(257) + ",\"cmd\":\"c\"}"))
                .isEqualTo(new Inbound.Invalid("seqno is not a string", "c", "", false));
        assertThat(EnvelopeReader.read(ByteBuffer.wrap(("{\"cmd\":\"" + c + "\"}").getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new Inbound.Invalid("cmd longer than 256 characters", "", "", true));
    }
}
