package dev.wsrv.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client WebSocket connection on a non-blocking channel, driven by its {@link IoLoop}: a minimal RFC 6455
 * client (handshake, masked frames out, unmasked frames in, ping answered, fragments joined). Confined to its
 * loop's thread.
 *
 * <p>Outgoing frames carry the all-zero masking key: legal, and it spares the client the XOR pass; the server
 * unmasks as usual. This keeps the client's share of the two cores small.
 */
final class WsConn {

    /** What a scenario does with a connection's events; called on the loop thread. */
    interface Listener {
        void opened(WsConn c);

        /** A complete data message; the bytes are valid only during the call. */
        void message(WsConn c, ByteBuffer buf, int off, int len);

        void closed(WsConn c, String why);
    }

    private static final int CONNECTING = 0;
    private static final int HANDSHAKE = 1;
    private static final int OPEN = 2;
    private static final int CLOSED = 3;

    final IoLoop loop;
    final int id;
    private final Listener listener;
    private SocketChannel ch;
    private SelectionKey key;
    private ByteBuffer in;
    private ByteBuffer out;
    private int state = CONNECTING;
    private int needed;
    private boolean writeInterest;
    /** Whether the connection reads what the server sends; a client that stops reading makes the server queue. */
    private boolean reading = true;
    private byte[] frag;
    private int fragLen;
    private final String handshake;

    // closed-loop bookkeeping for the echo scenario
    long nextSeq;
    long[] sentAt;
    long[] sentSeq;
    int mask;
    int inflight;

    WsConn(IoLoop loop, int id, Listener listener, String host, int port, String path, int bufferSize) {
        this.loop = loop;
        this.id = id;
        this.listener = listener;
        this.in = ByteBuffer.allocate(bufferSize);
        this.out = ByteBuffer.allocate(bufferSize);
        this.handshake = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    boolean isOpen() {
        return state == OPEN;
    }

    void connect(InetSocketAddress address) throws IOException {
        connect(address, null);
    }

    /** Connects from a given local address (another loopback address, so that the server sees another client). */
    void connect(InetSocketAddress address, java.net.InetAddress local) throws IOException {
        ch = SocketChannel.open();
        if (local != null) {
            ch.bind(new InetSocketAddress(local, 0));
        }
        ch.configureBlocking(false);
        ch.socket().setTcpNoDelay(true);
        boolean done = ch.connect(address);
        key = ch.register(loop.selector, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
        if (done) {
            startHandshake();
        }
    }

    void finishConnect() throws IOException {
        ch.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        startHandshake();
    }

    private void startHandshake() throws IOException {
        state = HANDSHAKE;
        out.put(handshake.getBytes(StandardCharsets.US_ASCII));
        flush();
    }

    /** Starts a frame with the given payload length and returns the buffer to put the payload into. */
    ByteBuffer begin(int opcode, int len) {
        ensureOut(14 + len);
        out.put((byte) (0x80 | opcode));
        if (len < 126) {
            out.put((byte) (0x80 | len));
        } else if (len < 65536) {
            out.put((byte) (0x80 | 126));
            out.putShort((short) len);
        } else {
            out.put((byte) (0x80 | 127));
            out.putLong(len);
        }
        out.putInt(0); // masking key 0: the payload goes as is
        return out;
    }

    void sendText(byte[] payload) throws IOException {
        begin(1, payload.length).put(payload);
        flush();
    }

    private void ensureOut(int more) {
        if (out.remaining() < more) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
            out.flip();
            b.put(out);
            out = b;
        }
    }

    void flush() throws IOException {
        if (state == CLOSED || out.position() == 0) {
            return;
        }
        out.flip();
        ch.write(out);
        boolean more = out.hasRemaining();
        out.compact();
        if (more != writeInterest) {
            writeInterest = more;
            interest();
        }
    }

    /** Stops reading from the server for good: what it sends piles up in its queues and the kernel's. */
    void stopReading() {
        reading = false;
        interest();
    }

    private void interest() {
        key.interestOps((reading ? SelectionKey.OP_READ : 0) | (writeInterest ? SelectionKey.OP_WRITE : 0));
    }

    void read() throws IOException {
        int n = ch.read(in);
        if (n < 0) {
            close("server closed the connection");
            return;
        }
        in.flip();
        if (state == HANDSHAKE && !readHandshake()) {
            in.compact();
            return;
        }
        while (state == OPEN && frame()) {
            // next frame
        }
        if (state == CLOSED) {
            return;
        }
        in.compact();
        if (needed > in.capacity()) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
            in.flip();
            b.put(in);
            in = b;
        }
        flush();
    }

    private boolean readHandshake() throws IOException {
        int end = -1;
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            needed = in.capacity() * 2;
            return false;
        }
        byte[] head = new byte[12];
        in.get(in.position(), head);
        String status = new String(head, StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) {
            close("handshake refused: " + status);
            return false;
        }
        in.position(end);
        state = OPEN;
        listener.opened(this);
        return true;
    }

    /** Consumes one complete frame, or returns false when the buffer does not hold one yet. */
    private boolean frame() throws IOException {
        int p = in.position();
        int rem = in.remaining();
        if (rem < 2) {
            return false;
        }
        int b0 = in.get(p) & 0xff;
        int b1 = in.get(p + 1) & 0xff;
        long len = b1 & 0x7f;
        int hdr = 2;
        if (len == 126) {
            if (rem < 4) {
                return false;
            }
            len = ((in.get(p + 2) & 0xff) << 8) | (in.get(p + 3) & 0xff);
            hdr = 4;
        } else if (len == 127) {
            if (rem < 10) {
                return false;
            }
            len = in.getLong(p + 2);
            hdr = 10;
        }
        if ((b1 & 0x80) != 0) {
            close("masked frame from server");
            return false;
        }
        if (rem < hdr + len) {
            needed = (int) (hdr + len);
            return false;
        }
        int start = p + hdr;
        int l = (int) len;
        boolean fin = (b0 & 0x80) != 0;
        int op = b0 & 0x0f;
        in.position(start + l);
        switch (op) {
            case 1, 2 -> {
                if (fin) {
                    listener.message(this, in, start, l);
                } else {
                    fragLen = 0;
                    append(start, l);
                }
            }
            case 0 -> {
                append(start, l);
                if (fin) {
                    listener.message(this, ByteBuffer.wrap(frag), 0, fragLen);
                }
            }
            case 8 -> {
                String code = l >= 2 ? String.valueOf(((in.get(start) & 0xff) << 8) | (in.get(start + 1) & 0xff)) : "none";
                byte[] reason = new byte[Math.max(0, l - 2)];
                in.get(start + 2, reason);
                close("close frame from server: " + code + " " + new String(reason, StandardCharsets.UTF_8));
            }
            case 9 -> {
                ByteBuffer o = begin(10, l);
                for (int i = 0; i < l; i++) {
                    o.put(in.get(start + i));
                }
            }
            default -> {
                // pong: nothing to do
            }
        }
        return state == OPEN;
    }

    private void append(int start, int len) {
        if (frag == null || frag.length < fragLen + len) {
            byte[] b = new byte[Math.max(fragLen + len, frag == null ? 1024 : frag.length * 2)];
            if (frag != null) {
                System.arraycopy(frag, 0, b, 0, fragLen);
            }
            frag = b;
        }
        in.get(start, frag, fragLen, len);
        fragLen += len;
    }

    /** Sends a close frame (1000) if open, then closes the channel. */
    void shutdown() {
        if (state == OPEN) {
            try {
                begin(8, 2).putShort((short) 1000);
                flush();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
        close("closed by client");
    }

    void close(String why) {
        if (state == CLOSED) {
            return;
        }
        boolean wasOpen = state == OPEN;
        state = CLOSED;
        try {
            if (key != null) {
                key.cancel();
            }
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // closed
        }
        listener.closed(this, wasOpen ? why : "not opened: " + why);
    }
}
