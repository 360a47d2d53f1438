package dev.wsrv.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every reply and push the encoder writes is a frame any container can send: valid UTF-16, hence valid UTF-8. */
class ReplyEncoderTest {

    static final String LONE_HIGH = "a\ud800b";
    static final String LONE_LOW = "\udc00";
    static final String HIGH_AT_END = "x\ud83d";
    static final String PAIR = "\ud83d\ude00";

    /** Encodes, checks the text is sendable, and reads it back. */
    static JsonObject sendable(Reply reply) {
        String json = ReplyEncoder.toJson(reply);
        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(json)).as("UTF-8-encodable: %s", json).isTrue();
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void loneSurrogatesInCmdSeqnoAndMsgAreEscapedAndReadBackUnchanged() {
        JsonObject o = sendable(new Reply(LONE_HIGH, LONE_LOW + HIGH_AT_END, 4001, HIGH_AT_END, null));
        assertThat(o.getString("cmd")).isEqualTo(LONE_HIGH);
        assertThat(o.getString("seqno")).isEqualTo(LONE_LOW + HIGH_AT_END);
        assertThat(o.getString("msg")).isEqualTo(HIGH_AT_END);
        assertThat(ReplyEncoder.toJson(new Reply(LONE_HIGH, "", 0, "ok", null))).startsWith("{\"cmd\":\"a\\ud800b\"");
    }

    @Test
    void loneSurrogatesInJsonDataKeysAndValuesAreEscaped() {
        JsonValue data = Json.createObjectBuilder()
                .add(LONE_LOW, Json.createArrayBuilder().add(LONE_HIGH).add(PAIR))
                .build();
        JsonObject o = sendable(Reply.ok("c", "s", data));
        assertThat(o.getJsonObject("data").getJsonArray(LONE_LOW).getString(0)).isEqualTo(LONE_HIGH);
        assertThat(o.getJsonObject("data").getJsonArray(LONE_LOW).getString(1)).isEqualTo(PAIR);
    }

    public record Said(String text, List<String> more) {
    }

    @Test
    void loneSurrogatesInDataSerialisedWithJsonbAreEscaped() {
        JsonObject o = sendable(Reply.ok("c", "s", Map.of("said", new Said(HIGH_AT_END, List.of(LONE_LOW, PAIR)),
                LONE_HIGH, 1)));
        assertThat(o.getJsonObject("data").getJsonObject("said").getString("text")).isEqualTo(HIGH_AT_END);
        assertThat(o.getJsonObject("data").getJsonObject("said").getJsonArray("more").getString(0)).isEqualTo(LONE_LOW);
        assertThat(o.getJsonObject("data").getJsonObject("said").getJsonArray("more").getString(1)).isEqualTo(PAIR);
        assertThat(o.getJsonObject("data").getInt(LONE_HIGH)).isEqualTo(1);
    }

    @Test
    void pairedSurrogatesStayAsTheyAre() {
        assertThat(ReplyEncoder.toJson(Reply.ok(PAIR, PAIR, Map.of("t", PAIR))))
                .isEqualTo("{\"cmd\":\"" + PAIR + "\",\"seqno\":\"" + PAIR + "\",\"status\":0,\"msg\":\"ok\",\"data\":{\"t\":\""
                        + PAIR + "\"}}");
    }
}
