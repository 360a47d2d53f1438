package dev.wsrv.it.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.target.Targets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malformed opening handshake (RFC 6455 section 4.2.1) is answered 400, or 426 for another protocol version,
 * never a server error and never an upgrade, the same on every target.
 */
@Timeout(180)
class UpgradeRequestTest {

    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    /** An upgrade request with one thing wrong, and the status it must get. */
    record Bad(String name, String method, String protocol, String headers, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> targetsAndBadRequests() {
        String upgrade = "Upgrade: websocket\r\n";
        String connection = "Connection: Upgrade\r\n";
        String version = "Sec-WebSocket-Version: 13\r\n";
        return Targets.allWith(
                new Bad("valid", "GET", "HTTP/1.1", upgrade + connection + KEY + version, 101),
                new Bad("no key", "GET", "HTTP/1.1", upgrade + connection + version, 400),
                new Bad("no Connection", "GET", "HTTP/1.1", upgrade + KEY + version, 400),
                new Bad("POST", "POST", "HTTP/1.1", upgrade + connection + KEY + version + "Content-Length: 0\r\n",
                        400),
                new Bad("HTTP/1.0", "GET", "HTTP/1.0", upgrade + connection + KEY + version, 400),
                new Bad("key not base64", "GET", "HTTP/1.1",
                        upgrade + connection + "Sec-WebSocket-Key: not*base64!\r\n" + version, 400),
                new Bad("key of 8 bytes", "GET", "HTTP/1.1",
                        upgrade + connection + "Sec-WebSocket-Key: AAECAwQFBgc=\r\n" + version, 400),
                new Bad("two keys", "GET", "HTTP/1.1", upgrade + connection + KEY + KEY + version, 400),
                new Bad("no version", "GET", "HTTP/1.1", upgrade + connection + KEY, 400),
                new Bad("version 8", "GET", "HTTP/1.1", upgrade + connection + KEY + "Sec-WebSocket-Version: 8\r\n",
                        426));
    }

    /** Sends one request head as it is and returns the response head. */
    static String exchange(URI ws, String head) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != -1; ) {
                b.write(c);
                String sofar = b.toString(StandardCharsets.ISO_8859_1);
                if (sofar.endsWith("\r\n\r\n")) {
                    return sofar;
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndBadRequests")
    void aMalformedUpgradeRequestGets400Or426(Targets.Lazy lazy, Bad bad) throws Exception {
        URI ws = lazy.get().wsUri();
        String head = exchange(ws, bad.method() + " " + ws.getRawPath() + " " + bad.protocol() + "\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n" + bad.headers() + "\r\n");
        // a server may answer an HTTP/1.0 request in HTTP/1.0
        assertThat(head).matches("(?s)HTTP/1\\.[01] " + bad.status() + " .*");
        if (bad.status() == 426) {
            assertThat(head).containsIgnoringCase("Sec-WebSocket-Version: 13");
        }
    }
}
