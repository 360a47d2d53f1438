package dev.wsrv.it.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A minimal WebSocket client over a plain socket, for frames a well-behaved client library refuses to send
 * (invalid UTF-8) and for reading the server's close frame exactly. Test-only; timeouts on every read.
 */
public final class RawClient implements AutoCloseable {

    /** A frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final SecureRandom random = new SecureRandom();

    public RawClient(URI uri, String... extraHeaders) throws IOException {
        this(uri, null, new byte[0], extraHeaders);
    }

    /**
     * Connects from a given local address, such as 127.0.0.2 (any 127.x address reaches a loopback server), to
     * count as another client address; {@code sentWithRequest} goes out in the same write as the upgrade request.
     */
    public RawClient(URI uri, InetAddress local, byte[] sentWithRequest, String... extraHeaders) throws IOException {
        socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        StringBuilder req = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n");
        if (Arrays.stream(extraHeaders).noneMatch(h -> h.regionMatches(true, 0, "Host:", 0, 5))) {
            req.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        }
        req.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n");
        byte[] head = req.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + sentWithRequest.length);
        System.arraycopy(sentWithRequest, 0, all, head.length, sentWithRequest.length);
        out.write(all);
        out.flush();
        String status = readHttpHead(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException(REFUSED + status);
        }
    }

    /**
     * Tries an upgrade with extra header lines (a {@code Host:} line among them replaces the default one, and a
     * header may repeat) and returns the HTTP status of the answer; the connection is closed again.
     */
    public static int upgradeStatus(URI uri, String... headerLines) throws IOException {
        try (RawClient c = new RawClient(uri, headerLines)) {
            return 101;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith(REFUSED)) {
                return Integer.parseInt(m.substring(REFUSED.length()).split(" ")[1]);
            }
            throw e;
        }
    }

    private static final String REFUSED = "handshake refused: ";

    private static String readHttpHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }

    /** Sends one frame (FIN set), masked as a client must. */
    public void send(int opcode, byte[] payload) throws IOException {
        sendRaw(frame(0x80 | opcode, payload, true));
    }

    /** Writes bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Builds a frame: {@code first} is the first byte (FIN, RSV bits and opcode), the payload is masked with a
     * random key when {@code masked}.
     */
    public static byte[] frame(int first, byte[] payload, boolean masked) {
        int n = payload.length;
        java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream(n + 14);
        f.write(first);
        f.writeBytes(header(n, masked));
        if (masked) {
            byte[] mask = new byte[4];
            new SecureRandom().nextBytes(mask);
            f.writeBytes(mask);
            for (int i = 0; i < n; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
        } else {
            f.writeBytes(payload);
        }
        return f.toByteArray();
    }

    /** The second header byte and the extended length of a frame whose payload is {@code n} bytes. */
    public static byte[] header(long n, boolean masked) {
        int m = masked ? 0x80 : 0;
        if (n < 126) {
            return new byte[] {(byte) (m | n)};
        }
        if (n < 65536) {
            return new byte[] {(byte) (m | 126), (byte) (n >>> 8), (byte) n};
        }
        byte[] h = new byte[9];
        h[0] = (byte) (m | 127);
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (byte) (n >>> (8 * (7 - i)));
        }
        return h;
    }

    /** The socket, for tests that shape its buffers or read it directly. */
    public Socket socket() {
        return socket;
    }

    public void sendText(byte[] utf8) throws IOException {
        send(0x1, utf8);
    }

    /** Reads the next frame from the server (unmasked). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a close frame and returns it. */
    public Frame awaitClose() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
