package dev.wsrv.embedded;

import dev.wsrv.CloseCodes;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.PendingWriteQueueLimitExceededException;
import org.glassfish.grizzly.nio.NIOConnection;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.glassfish.tyrus.spi.Writer;

/**
 * One client connection of the embedded server, as {@link TransportGuard} sees it: first an HTTP connection that
 * must send its request head within the handshake timeout, then, once upgraded, a WebSocket connection whose frames
 * are judged from their headers before Tyrus reads them, whose waiting outbound bytes are bounded, and whose close
 * frame is given time to reach the client.
 *
 * <p>Reads of one connection arrive one at a time; writes, closes and timers may come from any thread.
 */
final class ConnectionGuard {

    /** How long a closed connection keeps reading (and discarding) after its close frame, for the client's close. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** How long a closed connection waits for a client that does not read to take the frames before its close. */
    static final Duration WRITE_GRACE = Duration.ofSeconds(5);

    private enum State { HANDSHAKING, OPEN, CLOSING, DRAINING, CLOSED }

    private final TransportGuard owner;
    private final org.glassfish.grizzly.Connection<?> socket;
    private final InetAddress address;
    private volatile State state = State.HANDSHAKING;
    /** Whether the connection counts among the handshaking ones; changed only under the TransportGuard's lock. */
    private boolean counted;
    private volatile boolean earlyData;
    private ScheduledFuture<?> timer;

    // the WebSocket side, set once upgraded
    private Connection tyrus;
    private final FrameScanner frames = new FrameScanner();
    private long messageLength;
    /** Made at the first ping, full as it would have been since the upgrade: most connections never ping. */
    private PingBucket pings;
    // fields changed through the VarHandles below rather than atomic objects: one connection holds this guard for
    // its whole life, and idle connections are many
    private volatile long outbound;
    private volatile boolean closeRequested;
    private volatile boolean overflowed;
    private volatile boolean drainStarted;

    private static final VarHandle OUTBOUND;
    private static final VarHandle OVERFLOWED;
    private static final VarHandle DRAIN_STARTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUTBOUND = lookup.findVarHandle(ConnectionGuard.class, "outbound", long.class);
            OVERFLOWED = lookup.findVarHandle(ConnectionGuard.class, "overflowed", boolean.class);
            DRAIN_STARTED = lookup.findVarHandle(ConnectionGuard.class, "drainStarted", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    ConnectionGuard(TransportGuard owner, org.glassfish.grizzly.Connection<?> socket, InetAddress address) {
        this.owner = owner;
        this.socket = socket;
        this.address = address;
    }

    private PingBucket pingBucket() {
        if (pings == null) {
            pings = new PingBucket(owner.pingsPerSecond(), owner.pingBurst());
        }
        return pings;
    }

    InetAddress address() {
        return address;
    }

    /** Marks the connection as counted among the handshaking ones; under the TransportGuard's lock. */
    void counted(boolean counted) {
        this.counted = counted;
    }

    /** Tells whether the connection is counted among the handshaking ones; under the TransportGuard's lock. */
    boolean counted() {
        return counted;
    }

    boolean handshaking() {
        return state == State.HANDSHAKING;
    }

    boolean upgraded() {
        return state != State.HANDSHAKING;
    }

    /** Whether the connection is still open as a WebSocket, or still sending its close: shutdown waits for it. */
    boolean busy() {
        State s = state;
        return s == State.OPEN || s == State.CLOSING || s == State.DRAINING;
    }

    void earlyData() {
        earlyData = true;
    }

    boolean hadEarlyData() {
        return earlyData;
    }

    /** Starts (again) the time the client has to send a complete request head. */
    synchronized void awaitRequestHead(Duration timeout) {
        cancelTimer();
        if (!timeout.isZero() && state == State.HANDSHAKING) {
            timer = owner.scheduler().schedule(this::handshakeTimedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void requestHeadArrived() {
        cancelTimer();
    }

    private void handshakeTimedOut() {
        if (state == State.HANDSHAKING) {
            owner.timedOut();
            socket.terminateSilently();
        }
    }

    private synchronized void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The socket is gone: stops every timer. */
    void closed() {
        state = State.CLOSED;
        cancelTimer();
    }

    /**
     * Puts this guard between Tyrus and the socket of a successful upgrade.
     *
     * @param info Tyrus' outcome of the upgrade
     * @return the outcome whose connection reads, writes and closes through this guard
     */
    WebSocketEngine.UpgradeInfo wrap(WebSocketEngine.UpgradeInfo info) {
        return new WebSocketEngine.UpgradeInfo() {
            @Override
            public WebSocketEngine.UpgradeStatus getStatus() {
                return info.getStatus();
            }

            @Override
            public Connection createConnection(Writer writer, Connection.CloseListener closeListener) {
                synchronized (ConnectionGuard.this) {
                    cancelTimer();
                    state = State.OPEN;
                }
                owner.upgraded(ConnectionGuard.this);
                tyrus = info.createConnection(new GuardedWriter(writer), closeListener);
                return tyrus == null ? null : new GuardedConnection();
            }
        };
    }

    // ------------------------------------------------------------------ inbound

    private void read(ByteBuffer data) {
        while (data.hasRemaining() && state == State.OPEN) {
            int start = data.position();
            FrameScanner.Header h = frames.readHeader(data);
            if (h != null) {
                CloseReason refusal = judge(h);
                if (refusal != null) {
                    refuse(refusal);
                    return;
                }
            }
            frames.skipPayload(data);
            // each slice stays within one frame, so that Tyrus never holds more than one frame of the size limit
            ByteBuffer slice = data.duplicate();
            slice.position(start).limit(data.position());
            tyrus.getReadHandler().handle(slice);
        }
    }

    private CloseReason judge(FrameScanner.Header h) {
        // no extension is negotiated, so no RSV bit may be set; opcodes 3-7 and 11-15 are reserved
        if (!h.masked() || h.rsv() != 0 || h.length() < 0 || h.opcode() > 0xA || h.opcode() > 2 && h.opcode() < 8
                || h.control() && (!h.fin() || h.length() > 125)) {
            return reason(CloseReason.CloseCodes.PROTOCOL_ERROR, "protocol error");
        }
        if (h.opcode() == 0x9 && !pingBucket().take()) {
            return reason(CloseReason.CloseCodes.VIOLATED_POLICY, "too many requests");
        }
        if (!h.control()) {
            messageLength = h.opcode() == 0 ? messageLength + h.length() : h.length();
            if (owner.maxMessageSize() > 0 && messageLength > owner.maxMessageSize()) {
                return reason(CloseReason.CloseCodes.TOO_BIG, "message too big");
            }
        }
        return null;
    }

    private static CloseReason reason(CloseReason.CloseCode code, String text) {
        return new CloseReason(code, text);
    }

    private void refuse(CloseReason reason) {
        state = State.CLOSING;
        owner.refusedFrame(reason);
        tyrus.close(reason);
    }

    // ------------------------------------------------------------------ outbound and close

    private void overflow() {
        if (OVERFLOWED.compareAndSet(this, false, true)) {
            state = State.CLOSING;
            owner.overflowed();
            owner.scheduler().execute(() -> {
                try {
                    tyrus.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(CloseCodes.SLOW_CONSUMER),
                            "slow consumer"));
                } finally {
                    // the client does not read: no close frame can reach it
                    terminate();
                }
            });
        }
    }

    private void closeRequested() {
        closeRequested = true;
        if (overflowed) {
            terminate();
            return;
        }
        synchronized (this) {
            if (!drainStarted && state != State.CLOSED) {
                // the frames before the close wait for a client that reads; one that does not is cut off
                cancelTimer();
                timer = owner.scheduler().schedule(this::terminate, WRITE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (outbound == 0) {
            drain();
        }
    }

    /**
     * Everything is written, the close frame last: half-closes the socket so that the client reads the close frame
     * and sees the end, and keeps reading, so that the client's unread frames do not make the kernel reset the
     * connection and discard the close frame; the socket closes when the client closes or after the grace.
     */
    private void drain() {
        if (!DRAIN_STARTED.compareAndSet(this, false, true)) {
            return;
        }
        state = State.DRAINING;
        try {
            if (socket instanceof NIOConnection nio && nio.getChannel() instanceof SocketChannel channel) {
                channel.shutdownOutput();
            }
        } catch (IOException | RuntimeException e) {
            terminate();
            return;
        }
        synchronized (this) {
            cancelTimer();
            if (state != State.CLOSED) {
                timer = owner.scheduler().schedule(this::terminate, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void terminate() {
        state = State.CLOSED;
        cancelTimer();
        socket.terminateSilently();
    }

    /** Tyrus' connection, reading through the frame checks and closing through the drain. */
    private final class GuardedConnection implements Connection {
        @Override
        public ReadHandler getReadHandler() {
            return ConnectionGuard.this::read;
        }

        @Override
        public Writer getWriter() {
            return tyrus.getWriter();
        }

        @Override
        public CloseListener getCloseListener() {
            return tyrus.getCloseListener();
        }

        @Override
        public void close(CloseReason reason) {
            tyrus.close(reason);
        }
    }

    /** Counts the bytes waiting for the socket, and gives close frames wsrv's own reasons. */
    private final class GuardedWriter extends Writer {
        private final Writer socketWriter;

        GuardedWriter(Writer socketWriter) {
            this.socketWriter = socketWriter;
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> done) {
            if (overflowed) {
                done.failed(new IOException("connection closed: slow consumer"));
                return;
            }
            ByteBuffer frame = CloseFrames.ownReason(buffer);
            long size = frame.remaining();
            long before = (long) OUTBOUND.getAndAdd(ConnectionGuard.this, size);
            long bound = owner.maxOutboundBytes();
            if (bound > 0 && before > 0 && before + size > bound) {
                OUTBOUND.getAndAdd(ConnectionGuard.this, -size);
                overflow();
                done.failed(new IOException("connection closed: slow consumer"));
                return;
            }
            socketWriter.write(frame, new CompletionHandler<>() {
                @Override
                public void completed(ByteBuffer result) {
                    written(size);
                    done.completed(buffer);
                }

                @Override
                public void failed(Throwable t) {
                    written(size);
                    if (t instanceof PendingWriteQueueLimitExceededException) {
                        // a frame dropped from the middle of the stream: the client must not miss it unnoticed
                        overflow();
                    }
                    done.failed(t);
                }

                @Override
                public void cancelled() {
                    written(size);
                    done.cancelled();
                }
            });
        }

        private void written(long size) {
            if ((long) OUTBOUND.getAndAdd(ConnectionGuard.this, -size) == size && closeRequested) {
                drain();
            }
        }

        @Override
        public void close() {
            closeRequested();
        }
    }

    /** The ping rate: a token bucket with the session's request rate and burst. Read thread only. */
    private static final class PingBucket {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        PingBucket(int perSecond, int burst) {
            this.perNano = perSecond / 1e9;
            this.burst = burst;
            this.tokens = burst;
        }

        boolean take() {
            if (perNano == 0) {
                return true;
            }
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    /** Close frames from the container carry wsrv's short reasons, never the container's message. */
    static final class CloseFrames {
        private CloseFrames() {
        }

        static ByteBuffer ownReason(ByteBuffer frame) {
            int p = frame.position();
            if (frame.remaining() < 4 || (frame.get(p) & 0xff) != 0x88 || (frame.get(p + 1) & 0x80) != 0) {
                return frame;
            }
            int code = ((frame.get(p + 2) & 0xff) << 8) | (frame.get(p + 3) & 0xff);
            String text = switch (code) {
                case CloseCodes.PROTOCOL_ERROR -> "protocol error";
                case 1003 -> "unsupported data"; // the container's alone: wsrv never closes with it
                case CloseCodes.INVALID_PAYLOAD -> "invalid utf-8";
                case CloseCodes.TOO_BIG -> "message too big";
                case CloseCodes.UNEXPECTED -> "unexpected condition";
                default -> null;
            };
            if (text == null) {
                return frame;
            }
            byte[] reason = text.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer own = ByteBuffer.allocate(4 + reason.length);
            own.put((byte) 0x88).put((byte) (2 + reason.length)).putShort((short) code).put(reason).flip();
            return own;
        }
    }
}
