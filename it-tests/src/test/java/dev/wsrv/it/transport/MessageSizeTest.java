package dev.wsrv.it.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.target.Targets;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The message size limit, exactly, on every target: a message of 64 KiB is answered, one byte more closes the
 * connection with 1009 {@code message too big}, and so does a frame of four times the limit and more
 * (docs/protocol.md#close-codes-the-server-uses).
 */
@Timeout(120)
class MessageSizeTest {

    private static final int LIMIT = 64 * 1024;

    static byte[] request(int size) {
        String head = "{\"cmd\":\"userinfo\",\"seqno\":\"big\",\"data\":\"";
        byte[] b = (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(b).hasSize(size);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void aMessageOfExactlyTheLimitIsAnswered(Targets.Lazy lazy) throws Exception {
        try (RawClient c = new RawClient(lazy.get().wsUri())) {
            c.sendText(request(LIMIT));
            JsonObject reply = Json.createReader(new StringReader(c.read().text())).readObject();
            assertThat(reply.getString("seqno")).isEqualTo("big");
            assertThat(reply.getInt("status")).isEqualTo(401); // the demo's AuthMiddleware: not registered
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndOversizes")
    void aLargerMessageCloses1009(Targets.Lazy lazy, Integer size) throws Exception {
        try (RawClient c = new RawClient(lazy.get().wsUri())) {
            c.sendText(request(size));
            RawClient.Frame close = c.awaitClose();
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo("message too big");
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> targetsAndOversizes() {
        return Targets.allWith(LIMIT + 1, 4 * LIMIT + 1);
    }
}
