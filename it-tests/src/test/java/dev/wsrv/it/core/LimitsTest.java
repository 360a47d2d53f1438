package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PROTOCOL.md section 8: message size and UTF-8; other sessions unaffected. */
@Timeout(60)
class LimitsTest {

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = Servers.start(CoreCommands.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

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

    @Test
    void invalidUtf8ClosesWith1007AndOthersGoOn() throws Exception {
        try (TestClient other = TestClient.connect(server.uri()); RawClient raw = new RawClient(server.uri())) {
            byte[] bad = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            raw.sendText(bad);
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
            assertThat(other.request("echo", "still", "1").getInt("status")).isZero();
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
