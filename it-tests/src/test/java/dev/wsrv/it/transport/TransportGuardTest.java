package dev.wsrv.it.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.SessionClosed;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.embedded.TransportConfig;
import dev.wsrv.it.core.CoreCommands;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded server's transport bounds, through raw sockets: what a client that does not read, sends slowly,
 * declares huge frames, skips the mask or sends frames with its upgrade request gets, while others are served.
 */
@Timeout(120)
class TransportGuardTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static EmbeddedServer start(WsrvConfig config, TransportConfig transport) {
        return EmbeddedServer.builder().port(0).config(config).transport(transport)
                .beanClasses(CoreCommands.class, ClosedSessions.class).start();
    }

    static byte[] request(String cmd, String seqno, String data) {
        return ("{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static JsonObject json(RawClient.Frame f) {
        return Json.createReader(new StringReader(f.text())).readObject();
    }

    static String sessionId(RawClient c) throws IOException {
        c.sendText(request("recall", "id", "null"));
        return json(c.read()).getJsonObject("data").getString("session");
    }

    static SessionClosed closedEvent(String id) {
        return await("the server closes session " + id).atMost(WAIT).until(
                () -> ClosedSessions.CLOSED.stream().filter(e -> e.id().equals(id)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    static void served(EmbeddedServer server) throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.request("echo", "bystander", "1").getInt("status")).isZero();
        }
    }

    /** What a raw socket reads until the server closes the connection: the frames and how the stream ended. */
    record Ending(List<RawClient.Frame> frames, String end) {
        long count(int opcode) {
            return frames.stream().filter(f -> f.opcode() == opcode).count();
        }
    }

    static Ending readToTheEnd(RawClient c) throws IOException {
        List<RawClient.Frame> frames = new ArrayList<>();
        try {
            while (true) {
                frames.add(c.read());
            }
        } catch (java.io.EOFException e) {
            return new Ending(frames, "eof");
        } catch (SocketException e) {
            return new Ending(frames, "reset");
        }
    }

    // ------------------------------------------------------------------ pings

    /**
     * A client that sends pings and never reads the pongs: past {@code wsrv.transport.maxOutboundBytes} of waiting
     * frames (its default) the server closes the socket without a close frame (the client reads none), and the session closes
     * with 1013 {@code slow consumer}; the pongs it held are freed and other clients are served.
     */
    @Test
    void pingsWhosePongsAreNeverReadCloseTheConnectionPastTheOutboundBound() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS.with("wsrv.idleTimeoutMs", Duration.ofMinutes(5))
                        .withLimits(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.requestsPerSecond", 0)
                                .with("wsrv.limits.requestBurst", 0).with("wsrv.limits.violationsBeforeClose", 0)),
                TransportConfig.DEFAULTS);
             RawClient c = new RawClient(server.uri())) {
            // the client's receive buffer stays as the kernel made it: shrunk after the handshake (window scaling
            // already agreed), it left loopback TCP with windows so small that both ends waited on probe timers of
            // growing back-off, and the pings stopped reaching a server that was still reading
            String id = sessionId(c);
            int sent = pingWithoutReading(c, 200_000);
            SessionClosed closed = closedEvent(id);
            assertThat(closed.closeCode()).isEqualTo(1013);
            assertThat(closed.reason()).isEqualTo("slow consumer");
            Ending ending = readToTheEnd(c);
            assertThat(ending.count(0x8)).as("close frames").isZero();
            assertThat(ending.count(0xA)).as("pongs").isLessThan(sent);
            served(server);
        }
    }

    /**
     * Sends pings of 125 bytes in batches of 100 and reads nothing, until {@code max} are sent or the server closes
     * the connection; fails should the server neither read on nor close it for 60 s.
     *
     * @return how many pings were sent
     */
    static int pingWithoutReading(RawClient c, int max) throws Exception {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            batch.writeBytes(RawClient.frame(0x89, new byte[125], true));
        }
        byte[] pings = batch.toByteArray();
        // a blocked socket write ignores the test's timeout: should the server stop reading without closing, the
        // watchdog closes the socket, so that the test fails instead of hanging the run
        AtomicBoolean cut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.schedule(() -> {
            cut.set(true);
            c.close();
            return null;
        }, 60, TimeUnit.SECONDS);
        int sent = 0;
        try {
            for (; sent < max; sent += 100) {
                c.sendRaw(pings);
            }
        } catch (IOException closedByTheServer) {
            // the server closed the connection while the client was still sending
        } finally {
            watchdog.shutdownNow();
        }
        assertThat(cut).as("the server neither read on nor closed the connection for 60 s").isFalse();
        return sent;
    }

    /** Pings take tokens from the session's request rate: past the burst the connection closes with 1008. */
    @Test
    void pingsCountAgainstTheRequestRate() throws Exception {
        int burst = 10;
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS
                .with("wsrv.limits.requestsPerSecond", 1).with("wsrv.limits.requestBurst", burst)
                        .with("wsrv.limits.violationsBeforeClose", 100)), TransportConfig.DEFAULTS);
             RawClient c = new RawClient(server.uri())) {
            // in one write, so that the server reads them in one go: no token refills (1 a second) between them
            ByteArrayOutputStream pings = new ByteArrayOutputStream();
            for (int i = 0; i < 3 * burst; i++) {
                pings.writeBytes(RawClient.frame(0x89, new byte[] {(byte) i}, true));
            }
            c.sendRaw(pings.toByteArray());
            Ending ending = readToTheEnd(c);
            RawClient.Frame close = ending.frames().get(ending.frames().size() - 1);
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                    .isEqualTo("too many requests");
            assertThat(ending.count(0xA)).as("pongs").isEqualTo(burst);
            assertThat(ending.end()).isEqualTo("eof");
            served(server);
        }
    }

    // ------------------------------------------------------------------ frame headers

    static RawClient.Frame closeFrameAfterHeader(EmbeddedServer server, byte[] header) throws Exception {
        try (RawClient c = new RawClient(server.uri())) {
            c.sendRaw(header);
            Ending ending = readToTheEnd(c);
            assertThat(ending.frames()).hasSize(1);
            assertThat(ending.end()).isEqualTo("eof");
            return ending.frames().get(0);
        }
    }

    static String reason(RawClient.Frame close) {
        return new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8);
    }

    static byte[] textHeader(long length, boolean fin) {
        byte[] len = RawClient.header(length, true);
        byte[] h = new byte[1 + len.length + 4];
        h[0] = (byte) (fin ? 0x81 : 0x01);
        System.arraycopy(len, 0, h, 1, len.length);
        return h;
    }

    /** The header alone decides: one byte over the limit, four times it, or 2^63 - 1 bytes close 1009 at once. */
    @Test
    void aFrameDeclaringMoreThanTheLimitCloses1009OnItsHeader() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS)) {
            int limit = server.config().maxMessageSize();
            for (long length : new long[] {limit + 1L, 4L * limit + 1, Long.MAX_VALUE}) {
                RawClient.Frame close = closeFrameAfterHeader(server, textHeader(length, true));
                assertThat(close.closeCode()).as("declared %d", length).isEqualTo(1009);
                assertThat(reason(close)).isEqualTo("message too big");
            }
            served(server);
        }
    }

    /** The fragments of one message count together. */
    @Test
    void fragmentsOverTheLimitTogetherClose1009OnTheHeaderThatCrossesIt() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS);
             RawClient c = new RawClient(server.uri())) {
            int limit = server.config().maxMessageSize();
            byte[] half = new byte[limit / 2 + 1];
            java.util.Arrays.fill(half, (byte) ' ');
            c.sendRaw(RawClient.frame(0x01, half, true));
            byte[] header = textHeader(half.length, false);
            header[0] = 0x00; // a continuation, not the last
            c.sendRaw(header);
            Ending ending = readToTheEnd(c);
            assertThat(ending.frames()).hasSize(1);
            assertThat(ending.frames().get(0).closeCode()).isEqualTo(1009);
        }
    }

    /** A frame of exactly the limit is answered. */
    @Test
    void aMessageOfExactlyTheLimitIsAnswered() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS);
             RawClient c = new RawClient(server.uri())) {
            int limit = server.config().maxMessageSize();
            String prefix = "{\"cmd\":\"echo\",\"seqno\":\"full\",\"data\":\"";
            String message = prefix + "a".repeat(limit - prefix.length() - 2) + "\"}";
            assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
            c.send(0x1, message.getBytes(StandardCharsets.UTF_8));
            JsonObject reply = json(c.read());
            assertThat(reply.getString("seqno")).isEqualTo("full");
            assertThat(reply.getInt("status")).isZero();
        }
    }

    /** RFC 6455 section 5.1: a server must fail a connection whose client does not mask its frames. */
    @Test
    void anUnmaskedFrameCloses1002() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS)) {
            RawClient.Frame close = closeFrameAfterHeader(server,
                    RawClient.frame(0x81, request("echo", "u", "1"), false));
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(reason(close)).isEqualTo("protocol error");
            served(server);
        }
    }

    /** Close reasons are wsrv's own short texts: a length with its top bit set, or a reserved bit, say only 1002. */
    @Test
    void closeReasonsAreWsrvsOwnTexts() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS)) {
            byte[] topBit = textHeader(1L << 32, true);
            topBit[2] |= (byte) 0x80; // 2^63 and more: the 64-bit length's top bit must be 0
            RawClient.Frame close = closeFrameAfterHeader(server, topBit);
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(reason(close)).isEqualTo("protocol error");

            RawClient.Frame rsv = closeFrameAfterHeader(server, RawClient.frame(0xC1, request("echo", "r", "1"), true));
            assertThat(rsv.closeCode()).isEqualTo(1002);
            assertThat(reason(rsv)).isEqualTo("protocol error");
        }
    }

    // ------------------------------------------------------------------ with the upgrade request

    /** A frame written together with the upgrade request, in one TCP segment, is answered. */
    @Test
    void aFrameSentWithTheUpgradeRequestIsAnswered() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS, TransportConfig.DEFAULTS);
             RawClient c = new RawClient(server.uri(), null,
                     RawClient.frame(0x81, request("echo", "early", "7"), true))) {
            JsonObject reply = json(c.read());
            assertThat(reply.getString("seqno")).isEqualTo("early");
            assertThat(reply.getInt("status")).isZero();
            assertThat(reply.getInt("data")).isEqualTo(7);
        }
    }

    // ------------------------------------------------------------------ before the upgrade

    static Socket unfinished(EmbeddedServer server, InetAddress from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(server.address(), 5000);
        s.setSoTimeout(30_000);
        try {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + server.uri().getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (SocketException closedAtOnce) {
            // a refused connection may be gone before the client writes
        }
        return s;
    }

    /**
     * An HTTP connection that is served once and stays open without upgrading; its answer proves that the server has
     * counted it.
     */
    static Socket served(EmbeddedServer server, InetAddress from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(server.address(), 5000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write("GET /missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder status = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int c; (c = in.read()) != '\n' && c != -1; ) {
            status.append((char) c);
        }
        assertThat(status.toString()).startsWith("HTTP/1.1 404");
        return s;
    }

    /** Reads until the server closes the socket; the bytes it sent, which must be none for a plain close. */
    static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        try {
            for (int c; (c = in.read()) != -1; ) {
                b.write(c);
            }
        } catch (SocketException reset) {
            // closed with a reset: nothing more to read
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** A slowloris connection that never finishes its request head is closed after the handshake timeout. */
    @Test
    void aRequestHeadThatNeverEndsIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS,
                TransportConfig.DEFAULTS.with("wsrv.transport.handshakeTimeoutMs", Duration.ofMillis(500))
                        .with("wsrv.transport.handshakingConnections", 1000)
                        .with("wsrv.transport.handshakingConnectionsPerAddress", 100));
             Socket slow = unfinished(server, InetAddress.getLoopbackAddress())) {
            served(server);
            assertThat(readUntilClosed(slow)).isEmpty();
        }
    }

    /**
     * Past the cap on connections that have not upgraded from one address, the next one from that address is closed
     * at once, while a client from another address still upgrades; past the cap in total, any new one is closed.
     */
    @Test
    void unfinishedConnectionsAreCappedPerAddressAndInTotal() throws Exception {
        InetAddress one = InetAddress.getByName("127.0.0.1");
        InetAddress two = InetAddress.getByName("127.0.0.2");
        InetAddress three = InetAddress.getByName("127.0.0.3");
        List<Socket> held = new ArrayList<>();
        try (EmbeddedServer server = start(WsrvConfig.DEFAULTS,
                TransportConfig.DEFAULTS.with("wsrv.transport.handshakeTimeoutMs", Duration.ofMinutes(1))
                        .with("wsrv.transport.handshakingConnections", 5)
                        .with("wsrv.transport.handshakingConnectionsPerAddress", 3))) {
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(served(server, one));
                }
                try (Socket refused = unfinished(server, one)) {
                    assertThat(readUntilClosed(refused)).isEmpty();
                }
                try (RawClient other = new RawClient(server.uri(), two, new byte[0])) {
                    other.sendText(request("echo", "two", "2"));
                    assertThat(json(other.read()).getInt("status")).isZero();
                }
                held.add(served(server, two));
                held.add(served(server, two));
                try (Socket refused = unfinished(server, three)) {
                    assertThat(readUntilClosed(refused)).isEmpty();
                }
                for (Socket s : held) {
                    s.close();
                }
                await("a slot frees").atMost(WAIT).untilAsserted(() -> {
                    try (RawClient c = new RawClient(server.uri(), three, new byte[0])) {
                        c.sendText(request("echo", "three", "3"));
                        assertThat(json(c.read()).getInt("status")).isZero();
                    }
                });
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
