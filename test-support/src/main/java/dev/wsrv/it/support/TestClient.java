package dev.wsrv.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The shared test client: a real WebSocket connection (the JDK's client) that records every inbound message
 * and the close. Every wait is bounded.
 */
public final class TestClient implements AutoCloseable {

    /** One inbound message. */
    public record Message(String text, boolean binary) {
        public JsonObject json() {
            return Json.createReader(new StringReader(text)).readObject();
        }
    }

    /** The close frame the server sent. */
    public record Close(int code, String reason) {
    }

    /** The connection failed without a close frame (a reset, an abort): never reported as a close code. */
    public static final class TransportError extends java.io.IOException {
        TransportError(Throwable cause) {
            super("the connection failed without a close frame: " + cause, cause);
        }
    }

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket ws;
    private final LinkedBlockingDeque<Message> inbox = new LinkedBlockingDeque<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final LinkedBlockingDeque<ByteBuffer> pongs = new LinkedBlockingDeque<>();
    /** Numbers the requests of {@link #messagesBefore}. */
    private final java.util.concurrent.atomic.AtomicInteger barriers = new java.util.concurrent.atomic.AtomicInteger();

    private TestClient(URI uri, Map<String, String> headers) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        this.ws = b.buildAsync(uri, new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public static TestClient connect(URI uri) throws Exception {
        return new TestClient(uri, Map.of());
    }

    /** Connects with extra upgrade-request headers, such as {@code Origin} or {@code Cookie}. */
    public static TestClient connect(URI uri, Map<String, String> headers) throws Exception {
        return new TestClient(uri, headers);
    }

    /**
     * Retries an upgrade until it opens, for a connection slot that frees only once the server has seen a close;
     * fails with the last status after {@code bound}.
     */
    public static void awaitUpgradeOpens(URI uri, Duration bound) {
        org.awaitility.Awaitility.await("an upgrade to " + uri + " opens").atMost(bound)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> upgradeStatus(uri, Map.of()), status -> status == 101);
    }

    /** What the server answered an upgrade with: its status, headers and body (101 and nothing else when it opened). */
    public record UpgradeAnswer(int status, Map<String, List<String>> headers, String body) {
    }

    /**
     * Tries an upgrade and returns the HTTP status of its answer: 101 when the connection opened (it is closed
     * again at once), else the status the server refused it with.
     */
    public static int upgradeStatus(URI uri, Map<String, String> headers) throws Exception {
        return upgrade(uri, headers).status();
    }

    /**
     * Tries an upgrade and returns the server's whole answer, for an assertion whose failure must say what came
     * back: 101 when the connection opened (it is closed again at once), else the refusal with its headers and body.
     */
    public static UpgradeAnswer upgrade(URI uri, Map<String, String> headers) throws Exception {
        try {
            new TestClient(uri, headers).close();
            return new UpgradeAnswer(101, Map.of(), "");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                java.net.http.HttpResponse<?> r = h.getResponse();
                return new UpgradeAnswer(r.statusCode(), r.headers().map(), String.valueOf(r.body()));
            }
            throw e;
        }
    }

    public TestClient sendText(String text) throws Exception {
        ws.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    public TestClient sendBinary(byte[] bytes) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Sends a ping and returns the payload of the pong that answers it. */
    public byte[] ping(byte[] payload) throws Exception {
        ws.sendPing(ByteBuffer.wrap(payload)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ByteBuffer pong = pongs.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (pong == null) {
            throw new TimeoutException("no pong within " + WAIT);
        }
        byte[] b = new byte[pong.remaining()];
        pong.get(b);
        return b;
    }

    /** Sends a request and returns its reply, leaving other messages (pushes) in the inbox. */
    public JsonObject request(String cmd, String seqno, String dataJson) throws Exception {
        String frame = "{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\""
                + (dataJson == null ? "" : ",\"data\":" + dataJson) + "}";
        sendText(frame);
        return awaitJson(m -> {
            JsonObject o = m.json();
            return o.containsKey("status") && seqno.equals(o.getString("seqno")) && cmd.equals(o.getString("cmd"));
        });
    }

    /** Takes the next message, whatever it is. */
    public Message next() throws Exception {
        return next(WAIT);
    }

    public Message next(Duration wait) throws Exception {
        Message m = inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new TimeoutException("no message within " + wait);
        }
        return m;
    }

    public JsonObject nextJson() throws Exception {
        return next().json();
    }

    /** Takes the first message matching, leaving the others in order. */
    public JsonObject awaitJson(Predicate<Message> matching) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            synchronized (inbox) {
                for (Iterator<Message> it = inbox.iterator(); it.hasNext(); ) {
                    Message m = it.next();
                    if (matching.test(m)) {
                        it.remove();
                        return m.json();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no matching message within " + WAIT + "; inbox: " + inbox);
                }
                inbox.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Takes the next push with this command. */
    public JsonObject awaitPush(String cmd) throws Exception {
        return awaitJson(m -> cmd.equals(m.json().getString("cmd", null)));
    }

    /**
     * Sends {@code cmd} (a command that answers any session) and returns the messages that arrive before its
     * reply. A session's messages keep their order, so whatever the server sent this session before it handled the
     * request (a push, a second reply) comes first: {@code messagesBefore("echo")} being empty shows that nothing
     * else was sent, by waiting for a reply instead of for nothing to arrive. Every wait is bounded by {@link #WAIT}.
     *
     * @param cmd the command to send, without data
     * @return the messages before the reply, in order
     */
    public List<Message> messagesBefore(String cmd) throws Exception {
        String seqno = "before-" + barriers.incrementAndGet();
        sendText("{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\"}");
        List<Message> before = new ArrayList<>();
        for (Message m = next(); ; m = next()) {
            JsonObject o = m.json();
            if (o.containsKey("status") && seqno.equals(o.getString("seqno", null))
                    && cmd.equals(o.getString("cmd", null))) {
                return before;
            }
            before.add(m);
        }
    }

    /** Asserts-friendly: nothing else arrives within the given time. */
    public List<Message> drain(Duration quiet) throws Exception {
        List<Message> rest = new ArrayList<>();
        Message m;
        while ((m = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            rest.add(m);
        }
        return rest;
    }

    public Close awaitClose() throws Exception {
        return awaitClose(WAIT);
    }

    /**
     * Waits for the server's close frame.
     *
     * @throws java.util.concurrent.ExecutionException with a {@link TransportError} as its cause when the
     *     connection failed without a close frame
     */
    public Close awaitClose(Duration wait) throws Exception {
        return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the connection to fail without a close frame, and returns why; fails if a close frame came. */
    public TransportError awaitTransportError() throws Exception {
        try {
            Close c = closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("a close frame came instead of a transport error: " + c);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TransportError t) {
                return t;
            }
            throw e;
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public int pending() {
        return inbox.size();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                add(new Message(text.toString(), false));
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            if (last) {
                add(new Message(bytes.toString(StandardCharsets.UTF_8), true));
                bytes.reset();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket w, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message).flip();
            pongs.add(copy);
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(new Close(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.completeExceptionally(new TransportError(error));
        }

        private void add(Message m) {
            synchronized (inbox) {
                inbox.add(m);
                inbox.notifyAll();
            }
        }
    }
}
