package dev.wsrv.client;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection of a client: its send queue, its heartbeat, the reassembly of its inbound messages, and
 * its end, which happens exactly once whatever causes it (the server's close, the client's, a lost connection, or a
 * close the server does not answer in time). Thread-safe; the JDK calls the listener methods one at a time.
 *
 * <p>A connection is lost when the JDK reports an error or an end without a close frame, but also when a send fails
 * while the client is not closing: the JDK's client now and then misses the end of a TCP connection (its socket
 * stays in CLOSE_WAIT) and tells its listener nothing, then or later, while its sends fail. The heartbeat's sends
 * therefore find such a connection within one interval. With a silence timeout, or on a resumable session whose
 * server echoes heartbeats, a connection that has received no frame for that long is lost too, which catches a
 * network that drops everything without a sign.
 */
final class Connection implements WebSocket.Listener {

    /** What the connection tells its client. */
    interface Owner {
        /** A complete, non-empty inbound message. */
        void message(Connection conn, String text);

        /** The connection ended; called once, after {@link #closeCode()} and {@link #closeReason()} are set. */
        void closed(Connection conn);

        /** A problem that concerns no request: a message too big or not UTF-8. */
        void problem(Throwable error);
    }

    /** How long a close may wait for the server's answer before the connection is aborted. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Owner owner;
    private final Duration heartbeat;
    private final Duration silence;
    private final SendQueue out = new SendQueue();
    private final FrameAssembler in;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile WebSocket ws;
    private volatile int closeCode;
    private final AtomicBoolean firstMessage = new AtomicBoolean(true);
    private volatile String closeReason;
    /** Set once the client has begun its close: sends fail then without the connection being lost. */
    private volatile boolean closing;
    /** How much longer than two heartbeat intervals a resumable session's echo may take. */
    static final Duration ECHO_GRACE = Duration.ofSeconds(5);

    /** {@link System#nanoTime()} of the last inbound frame, or of the start of the silence check. */
    private volatile long lastInbound = System.nanoTime();
    private ScheduledFuture<?> heartbeatTask; // guarded by this
    private ScheduledFuture<?> silenceTask; // guarded by this

    /**
     * @param heartbeat the interval of empty frames; zero sends none
     * @param silence the longest inbound silence; zero for no check
     * @param maxMessageSize the largest inbound message, in chars (text) or bytes (binary)
     */
    Connection(Owner owner, Duration heartbeat, Duration silence, int maxMessageSize) {
        this.owner = owner;
        this.heartbeat = heartbeat;
        this.silence = silence;
        this.in = new FrameAssembler(maxMessageSize, new FrameAssembler.Sink() {
            @Override
            public void message(String text) {
                if (!text.isEmpty()) { // an empty message is a heartbeat
                    owner.message(Connection.this, text);
                }
            }

            @Override
            public void tooBig(int limit) {
                owner.problem(new IllegalStateException("wsrv: inbound message larger than " + limit
                        + "; closing with 1009"));
                close(1009, "message too big");
            }

            @Override
            public void problem(Throwable error) {
                owner.problem(error);
            }
        });
    }

    /**
     * Opens a connection with the client's settings: the handshake carries the fixed headers, then those of the
     * header supplier, asked now.
     *
     * @param uri the endpoint of this attempt, with its resume parameters if any
     * @return completes with the open connection, or fails with a {@link WsrvConnectionException} (whose
     *     {@link WsrvConnectionException#handshakeStatus()} is the server's refusal, if any)
     */
    static CompletableFuture<Connection> open(Settings settings, URI uri, Owner owner) {
        Connection conn = new Connection(owner, settings.heartbeatInterval(), settings.silenceTimeout(),
                settings.maxMessageSize());
        WebSocket.Builder b = settings.http().newWebSocketBuilder().connectTimeout(settings.connectTimeout());
        CompletableFuture<WebSocket> built;
        try {
            settings.headers().forEach(b::header);
            if (settings.headerSupplier() != null) {
                settings.headerSupplier().get().forEach(b::header);
            }
            built = b.buildAsync(uri, conn);
        } catch (RuntimeException e) {
            built = CompletableFuture.failedFuture(e);
        }
        return built.handle((ws, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                String why = cause instanceof WebSocketHandshakeException h
                        ? "the server refused the handshake with HTTP " + h.getResponse().statusCode()
                        : cause.toString();
                throw new CompletionException(new WsrvConnectionException(
                        "wsrv: could not connect to " + settings.uri() + ": " + why, null, null, cause));
            }
            conn.attach(ws);
            return conn;
        });
    }

    /** Sets the socket the JDK opened (also done by {@link #onOpen}, whichever comes first). */
    void attach(WebSocket webSocket) {
        ws = webSocket;
        out.attach(webSocket);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Completes when the connection has ended. */
    CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** The failure of a request whose reply this connection's end cut off. */
    WsrvConnectionException closedException(String cmd, String seqno) {
        String reason = closeReason == null || closeReason.isEmpty() ? "" : ", " + closeReason;
        return new WsrvConnectionException("wsrv: connection closed (code " + closeCode + reason
                + ") before the reply to " + cmd + " (seqno " + seqno + ")", cmd, seqno, closeCode,
                closeReason == null ? "" : closeReason);
    }

    /** Tells, once, that the message being handled is the connection's first. */
    boolean takeFirstMessage() {
        return firstMessage.getAndSet(false);
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason == null ? "" : closeReason;
    }

    /**
     * Starts the connection's timers: an empty frame every heartbeat interval while nothing else goes out, and the
     * silence check.
     */
    synchronized void startTimers() {
        if (closed.get()) {
            return;
        }
        if (!heartbeat.isZero()) {
            long nanos = heartbeat.toNanos();
            heartbeatTask = ClientThreads.SCHEDULER.scheduleAtFixedRate(() -> {
                if (!out.busy() && !closed.get()) {
                    sendText("");
                }
            }, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        if (!silence.isZero()) {
            watchSilence(silence);
        }
    }

    /**
     * Starts watching for silence on a resumable session, whose server echoes every heartbeat
     * (docs/protocol.md#heartbeat-echo): a connection that has received no frame for two heartbeat intervals and
     * {@link #ECHO_GRACE} is lost. Does nothing without a heartbeat, or with a silence timeout, which is watched
     * already.
     */
    synchronized void watchEchoes() {
        if (!closed.get() && !heartbeat.isZero() && silence.isZero() && silenceTask == null) {
            watchSilence(heartbeat.multipliedBy(2).plus(ECHO_GRACE));
        }
    }

    private synchronized void watchSilence(Duration limit) {
        lastInbound = System.nanoTime();
        // checked four times per limit: a silence is noticed at most a quarter of the limit late
        long period = Math.max(1, limit.toNanos() / 4);
        silenceTask = ClientThreads.SCHEDULER.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastInbound > limit.toNanos()) {
                lost("no frame from the server for " + limit.toMillis() + " ms");
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    private synchronized void stopTimers() {
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {heartbeatTask, silenceTask}) {
            if (t != null) {
                t.cancel(false);
            }
        }
        heartbeatTask = null;
        silenceTask = null;
    }

    /**
     * Queues a text frame. A failed send ends the connection as lost, unless the client is closing it; the stage
     * completes after that, so that a caller sees the connection closed.
     */
    CompletableFuture<Void> sendText(String text) {
        return out.text(text).whenComplete((ok, e) -> {
            if (e != null && !closing && !closed.get()) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                lost("a send failed: " + cause);
            }
        });
    }

    /** Ends a connection that does not work any more, whatever the JDK thinks of it. */
    private void lost(String why) {
        if (closed.get()) {
            return;
        }
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        }
        ended(1006, "connection lost: " + why);
    }

    /** Sends a close frame after the queued frames; aborts when the server has not closed in time. */
    void close(int code, String reason) {
        ScheduledFuture<?> guard = ClientThreads.SCHEDULER.schedule(() -> {
            if (!closed.get()) {
                WebSocket w = ws;
                if (w != null) {
                    w.abort();
                }
                ended(1006, "no close frame from the server within " + CLOSE_TIMEOUT.toMillis() + " ms");
            }
        }, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        closeFuture.whenComplete((r, e) -> guard.cancel(false));
        closing = true;
        // if the close cannot be sent, the output is closed already (the server's close, or a lost connection, is
        // then being handled) or stuck: the guard above ends it either way
        out.close(code, reason);
    }

    /** Runs once per connection, whatever ended it. */
    private void ended(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        stopTimers();
        owner.closed(this);
        closeFuture.complete(null);
    }

    // --- WebSocket.Listener: called by the JDK one at a time

    @Override
    public void onOpen(WebSocket webSocket) {
        attach(webSocket);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastInbound = System.nanoTime();
        try {
            in.text(data, last);
        } finally {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastInbound = System.nanoTime();
        try {
            in.binary(data, last);
        } finally {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastInbound = System.nanoTime();
        webSocket.request(1); // the JDK answers the ping with a pong itself
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastInbound = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended(statusCode, reason);
        return null; // the JDK then answers the close, if we have not sent ours
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended(1006, String.valueOf(error));
    }
}
