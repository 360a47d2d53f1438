package dev.wsrv.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of a wsrv server: sends requests and matches their replies by seqno, delivers pushes, sends
 * heartbeats and optionally reconnects.
 *
 * <pre>{@code
 * try (WsrvClient c = WsrvClient.connect(URI.create("ws://127.0.0.1:8800/ws"))) {
 *     Subscription s = c.onPush("have_user_register", p -> System.out.println(p.data()));
 *     c.request("register", Map.of("uid", 7)).toCompletableFuture().join();
 *     UserInfo me = c.request("userinfo", null, UserInfo.class).toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <h2>Requests</h2>
 * Each request gets a seqno unique to this client ({@code <random prefix>-<counter>}); the reply carrying it
 * completes the request's stage: with the reply's data when its status is 0, otherwise with a
 * {@link WsrvStatusException}. No reply within the timeout (10 s by default) fails it with a
 * {@link WsrvTimeoutException}, and the late reply, if any, is dropped. A request made while not connected,
 * or pending when the connection closes, fails with a {@link WsrvConnectionException}. Requests are always
 * sent as text frames; replies and pushes may be text or binary, whole or fragmented.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe; any number of threads may send requests at once (sends are queued, one
 * frame at a time, as the JDK WebSocket requires). The JDK's WebSocket thread only reassembles and parses
 * frames; it never runs user code:
 * <ul>
 *   <li>Request stages complete on the client's executor ({@link Builder#executor}, by default a shared
 *       pool of daemon threads), in no particular order. Dependent actions attached before completion run
 *       there.</li>
 *   <li>Push, close and error listeners and the reconnect hook run on one dedicated event thread per
 *       client, one at a time, in the order the messages arrived. A slow listener delays the later ones but
 *       not replies, so a listener may block on a request ({@code request(...).toCompletableFuture().join()})
 *       without deadlock.</li>
 * </ul>
 *
 * <h2>Heartbeat and reconnect</h2>
 * While connected the client sends an empty text frame every {@link Builder#heartbeat heartbeat} interval
 * (10 s by default), which keeps the session alive past the server's idle timeout (30 s by default). With
 * {@link Builder#reconnect reconnect} set, a connection closed by anything but {@link #close()} is reopened
 * with exponential backoff; the new connection is a new server session, so the
 * {@link Builder#onReconnect onReconnect} hook should register again. Requests made while reconnecting fail
 * at once with a {@link WsrvConnectionException}. Credentials that expire can come from a
 * {@link Builder#headers(Supplier) header supplier}, asked before every attempt. A reconnect the server refuses
 * with HTTP 401 or 403 is not retried (new attempts would only repeat it): the error listeners get its
 * {@link WsrvConnectionException}, and the client stays disconnected until it is closed.
 *
 * <p>No method accepts {@code null} unless it says so.
 */
public final class WsrvClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WsrvClient.class.getName());

    /** The default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default largest inbound message, in bytes (UTF-8) or chars. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    private static final String ALL = "*";
    private static final int LATE_REPLY_MEMORY = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final URI uri;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration heartbeat;
    private final Duration connectTimeout;
    private final Duration reconnectInitial;
    private final Duration reconnectMax;
    private final Function<WsrvClient, ? extends CompletionStage<?>> reconnectHook;
    private final Map<String, String> headers;
    private final Supplier<Map<String, String>> headerSupplier;
    private final int maxMessageSize;
    private final Executor executor;
    /** One thread at most, created on demand: listeners run in order and never concurrently. */
    private final ExecutorService events;

    private final String prefix = randomPrefix();
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, List<Registration<Push>>> pushListeners = new ConcurrentHashMap<>();
    private final List<Registration<CloseEvent>> closeListeners = new CopyOnWriteArrayList<>();
    private final List<Registration<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    /** Seqnos of timed-out requests, so that their late replies are not taken for pushes. */
    private final Set<String> expired = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > LATE_REPLY_MEMORY;
                }
            }));

    private final Object lock = new Object();
    private volatile Connection current; // written under lock
    private boolean closedByUser; // guarded by lock
    private ScheduledFuture<?> reconnectTask; // guarded by lock
    private int attempt; // guarded by lock
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private WsrvClient(Builder b) {
        this.uri = b.uri;
        this.http = b.httpClient != null ? b.httpClient : Shared.HTTP;
        this.requestTimeout = b.requestTimeout;
        this.heartbeat = b.heartbeat;
        this.connectTimeout = b.connectTimeout;
        this.reconnectInitial = b.reconnectInitial;
        this.reconnectMax = b.reconnectMax;
        this.reconnectHook = b.reconnectHook;
        this.headers = Map.copyOf(b.headers);
        this.headerSupplier = b.headerSupplier;
        this.maxMessageSize = b.maxMessageSize;
        this.executor = b.executor != null ? b.executor : Shared.EXECUTOR;
        int n = CLIENTS.incrementAndGet();
        this.events = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("wsrv-client-" + n + "-events", false));
    }

    // ---------------------------------------------------------------------------------------------------
    // creation

    /**
     * Connects to a wsrv endpoint with the default settings, blocking until the connection is open.
     *
     * @param uri the endpoint, for example {@code ws://127.0.0.1:8800/ws}
     * @return the connected client
     * @throws WsrvConnectionException if the connection cannot be opened within the connect timeout
     */
    public static WsrvClient connect(URI uri) {
        return builder(uri).connect();
    }

    /**
     * Starts a builder of a client for an endpoint.
     *
     * @param uri the endpoint, {@code ws://} or {@code wss://}
     * @return a new builder with the default settings
     * @throws IllegalArgumentException if the scheme is not {@code ws} or {@code wss}
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    // ---------------------------------------------------------------------------------------------------
    // requests

    /**
     * Sends a request with the default timeout; the stage completes with the reply's data.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, serialised with JSON-B ({@link JsonValue}s as they are); {@code null}
     *     sends no {@code data}
     * @return the reply's data, {@link JsonValue#NULL} when absent; or a failure with a {@link WsrvException}
     *     (or the JSON-B exception when {@code data} cannot be serialised)
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public CompletionStage<JsonValue> request(String cmd, Object data) {
        return send(cmd, data, requestTimeout, v -> v);
    }

    /**
     * Sends a request with its own timeout; the stage completes with the reply's data.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none; see {@link #request(String, Object)}
     * @param timeout how long to wait for the reply; {@link Duration#ZERO} waits without limit
     * @return the reply's data, or a failure with a {@link WsrvException}
     * @throws IllegalArgumentException if {@code cmd} is empty or the timeout negative
     */
    public CompletionStage<JsonValue> request(String cmd, Object data, Duration timeout) {
        return send(cmd, data, timeout, v -> v);
    }

    /**
     * Sends a request with the default timeout; the stage completes with the reply's data bound to a class.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none; see {@link #request(String, Object)}
     * @param type the class to bind the reply's data to with JSON-B ({@link JsonValue} types are returned as
     *     they are)
     * @param <T> the reply type
     * @return the bound data ({@code null} when the data is JSON {@code null}), or a failure with a
     *     {@link WsrvException} or, when the data cannot be bound, a {@link jakarta.json.bind.JsonbException}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public <T> CompletionStage<T> request(String cmd, Object data, Class<T> type) {
        return request(cmd, data, type, requestTimeout);
    }

    /**
     * Sends a request with its own timeout; the stage completes with the reply's data bound to a class.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none
     * @param type the class to bind the reply's data to
     * @param timeout how long to wait for the reply; {@link Duration#ZERO} waits without limit
     * @param <T> the reply type
     * @return the bound data, or a failure; see {@link #request(String, Object, Class)}
     * @throws IllegalArgumentException if {@code cmd} is empty or the timeout negative
     */
    public <T> CompletionStage<T> request(String cmd, Object data, Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return send(cmd, data, timeout, v -> JsonSupport.bind(v, type));
    }

    /**
     * Sends a request with the default timeout; the stage completes with the reply's data bound to a generic
     * type, for example {@code new ArrayList<User>(){}.getClass().getGenericSuperclass()}.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none
     * @param type the type to bind the reply's data to
     * @param <T> the reply type (unchecked)
     * @return the bound data, or a failure; see {@link #request(String, Object, Class)}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public <T> CompletionStage<T> request(String cmd, Object data, Type type) {
        return request(cmd, data, type, requestTimeout);
    }

    /**
     * Sends a request with its own timeout; the stage completes with the reply's data bound to a generic type.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none
     * @param type the type to bind the reply's data to
     * @param timeout how long to wait for the reply; {@link Duration#ZERO} waits without limit
     * @param <T> the reply type (unchecked)
     * @return the bound data, or a failure; see {@link #request(String, Object, Class)}
     * @throws IllegalArgumentException if {@code cmd} is empty or the timeout negative
     */
    public <T> CompletionStage<T> request(String cmd, Object data, Type type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return send(cmd, data, timeout, v -> JsonSupport.bind(v, type));
    }

    private <T> CompletionStage<T> send(String cmd, Object data, Duration timeout, Function<JsonValue, T> mapper) {
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(timeout, "timeout");
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("wsrv: cmd must not be empty");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("wsrv: timeout must not be negative: " + timeout);
        }
        String seqno = prefix + "-" + counter.incrementAndGet();
        Connection conn = current;
        if (conn == null || conn.closed.get()) {
            return CompletableFuture.failedFuture(new WsrvConnectionException(
                    "wsrv: not connected to " + uri + ", cannot send " + cmd + " (seqno " + seqno + ")",
                    cmd, seqno, null));
        }
        String text;
        try {
            text = JsonSupport.request(cmd, seqno, data == null ? null : JsonSupport.toJson(data));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Pending<T> p = new Pending<>(cmd, seqno, mapper, new CompletableFuture<>());
        conn.pending.put(seqno, p);
        // the stage may end any way (reply, timeout, close, or the caller cancelling it): always clean up
        p.future.whenComplete((r, e) -> {
            conn.pending.remove(seqno, p);
            ScheduledFuture<?> t = p.timer;
            if (t != null) {
                t.cancel(false);
            }
        });
        if (!timeout.isZero()) {
            p.timer = Shared.SCHEDULER.schedule(() -> {
                if (conn.pending.remove(seqno, p)) {
                    expired.add(seqno);
                    completeLater(p.future, null, new WsrvTimeoutException(cmd, seqno, timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (p.future.isDone()) {
                p.timer.cancel(false);
            }
        }
        if (conn.closed.get()) {
            // closed while registering: the close may have missed this request
            if (conn.pending.remove(seqno, p)) {
                completeLater(p.future, null, conn.closedException(cmd, seqno));
            }
            return p.future;
        }
        conn.sendText(text).whenComplete((ws, e) -> {
            if (e != null && conn.pending.remove(seqno, p)) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                completeLater(p.future, null, conn.closed.get() ? conn.closedException(cmd, seqno)
                        : new WsrvConnectionException("wsrv: cannot send " + cmd + " (seqno " + seqno + "): "
                                + cause, cmd, seqno, cause));
            }
        });
        return p.future;
    }

    /** Completes a request's stage on the executor, never on the WebSocket or timer thread. */
    private <T> void completeLater(CompletableFuture<T> f, T value, Throwable error) {
        Runnable r = () -> {
            if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(value);
            }
        };
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // listeners

    /**
     * Listens to the pushes of one command, or of every command with {@code "*"}.
     *
     * <p>The listener runs on the client's event thread, in arrival order; for one push, the listeners of its
     * command run before the {@code "*"} listeners, each in registration order. An exception thrown by the
     * listener goes to the {@link #onError error listeners}. The subscription survives reconnects.
     *
     * @param cmd the command, or {@code "*"} for all
     * @param listener the listener
     * @return the subscription; close it to stop listening
     */
    public Subscription onPush(String cmd, Consumer<Push> listener) {
        Objects.requireNonNull(cmd, "cmd");
        List<Registration<Push>> list = pushListeners.computeIfAbsent(cmd, k -> new CopyOnWriteArrayList<>());
        return add(list, listener);
    }

    /**
     * Listens to the closing of connections: by the server, by {@link #close()}, or lost.
     *
     * <p>The listener runs on the client's event thread, after the pushes received before the close. With
     * reconnect on, it is called for every connection that closes.
     *
     * @param listener the listener
     * @return the subscription; close it to stop listening
     */
    public Subscription onClose(Consumer<CloseEvent> listener) {
        return add(closeListeners, listener);
    }

    /**
     * Listens to problems that concern no request: an inbound message that is not a JSON object, a failing
     * listener or reconnect hook, a failed reconnect attempt. Without error listeners they are logged.
     *
     * <p>The listener runs on the client's event thread; an exception it throws is logged.
     *
     * @param listener the listener
     * @return the subscription; close it to stop listening
     */
    public Subscription onError(Consumer<Throwable> listener) {
        return add(errorListeners, listener);
    }

    private static <E> Subscription add(List<Registration<E>> list, Consumer<E> listener) {
        Objects.requireNonNull(listener, "listener");
        Registration<E> r = new Registration<>(listener);
        list.add(r);
        return () -> list.remove(r);
    }

    private void dispatchPush(Push push) {
        runEvent(() -> {
            for (String key : new String[] {push.cmd(), ALL}) {
                List<Registration<Push>> list = pushListeners.get(key);
                if (list == null) {
                    continue;
                }
                for (Registration<Push> r : list) {
                    try {
                        r.listener.accept(push);
                    } catch (RuntimeException | Error e) {
                        reportError(e);
                    }
                }
                if (ALL.equals(push.cmd())) {
                    break;
                }
            }
        });
    }

    private void emitClose(CloseEvent event) {
        runEvent(() -> {
            for (Registration<CloseEvent> r : closeListeners) {
                try {
                    r.listener.accept(event);
                } catch (RuntimeException | Error e) {
                    reportError(e);
                }
            }
        });
    }

    private void emitError(Throwable error) {
        runEvent(() -> reportError(error));
    }

    /** On the event thread only. */
    private void reportError(Throwable error) {
        if (errorListeners.isEmpty()) {
            if (error instanceof WsrvConnectionException) {
                // a failed reconnect attempt: expected while the server is down, retried with backoff
                LOG.log(System.Logger.Level.DEBUG, () -> "wsrv client: " + error.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, "wsrv client " + uri + ": " + error, error);
            }
            return;
        }
        for (Registration<Throwable> r : errorListeners) {
            try {
                r.listener.accept(error);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "wsrv client: error listener failed", e);
            }
        }
    }

    private void runEvent(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "wsrv client: event dropped after shutdown");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // state

    /**
     * Tells whether a connection is open now.
     *
     * @return {@code true} while connected; {@code false} while reconnecting and after closing
     */
    public boolean isConnected() {
        Connection c = current;
        return c != null && !c.closed.get();
    }

    /**
     * Returns the endpoint this client connects to.
     *
     * @return the URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * Sends one heartbeat (an empty text frame) now, in addition to the automatic ones.
     *
     * @return {@code false} when not connected
     */
    public boolean heartbeat() {
        Connection c = current;
        if (c == null || c.closed.get()) {
            return false;
        }
        c.sendText("");
        return true;
    }

    /**
     * Closes the client for good with close code 1000 and waits (at most 5 s) until the server has answered
     * the close; then aborts the connection if it has not. No reconnect follows; pending requests fail with a
     * {@link WsrvConnectionException}; later requests too. Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync().toCompletableFuture();
        try {
            f.get(CLOSE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "wsrv client: close: " + e);
        }
    }

    /**
     * Closes the client for good with close code 1000, without waiting; see {@link #close()}.
     *
     * @return completes when the connection is closed (or aborted after 5 s without the server's answer)
     */
    public CompletionStage<Void> closeAsync() {
        Connection c;
        synchronized (lock) {
            if (closedByUser) {
                return terminated.minimalCompletionStage();
            }
            closedByUser = true;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
                reconnectTask = null;
            }
            c = current;
        }
        if (c == null) {
            terminated.complete(null);
        } else {
            c.closeFuture.whenComplete((r, e) -> terminated.complete(null));
            c.close(1000, "");
        }
        return terminated.minimalCompletionStage();
    }

    // ---------------------------------------------------------------------------------------------------
    // connections

    private CompletableFuture<Connection> open() {
        Connection conn = new Connection();
        CompletableFuture<Connection> result = new CompletableFuture<>();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        CompletableFuture<WebSocket> built;
        try {
            headers.forEach(b::header);
            if (headerSupplier != null) {
                headerSupplier.get().forEach(b::header);
            }
            built = b.buildAsync(uri, conn);
        } catch (RuntimeException e) {
            built = CompletableFuture.failedFuture(e);
        }
        built.whenComplete((ws, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                String why = cause instanceof java.net.http.WebSocketHandshakeException h
                        ? "the server refused the handshake with HTTP " + h.getResponse().statusCode() : cause.toString();
                result.completeExceptionally(new WsrvConnectionException(
                        "wsrv: could not connect to " + uri + ": " + why, null, null, cause));
                return;
            }
            conn.ws = ws;
            boolean abandon;
            synchronized (lock) {
                abandon = closedByUser || conn.closed.get();
                if (!abandon) {
                    current = conn;
                    attempt = 0;
                }
            }
            if (abandon) {
                conn.close(1000, "");
                result.completeExceptionally(new WsrvConnectionException(
                        "wsrv: " + (conn.closed.get() ? "connection closed" : "client closed") + " while connecting to "
                                + uri, null, null, null));
                return;
            }
            conn.startHeartbeat();
            result.complete(conn);
        });
        return result;
    }

    /** Runs once per connection, whatever closed it. */
    private void closed(Connection conn, int code, String reason) {
        if (!conn.closed.compareAndSet(false, true)) {
            return;
        }
        conn.closeCode = code;
        conn.closeReason = reason;
        conn.stopHeartbeat();
        for (Pending<?> p : List.copyOf(conn.pending.values())) {
            if (conn.pending.remove(p.seqno, p)) {
                completeLater(p.future, null, conn.closedException(p.cmd, p.seqno));
            }
        }
        boolean wasCurrent;
        boolean byClient;
        boolean willReconnect;
        synchronized (lock) {
            wasCurrent = current == conn;
            if (wasCurrent) {
                current = null;
            }
            byClient = closedByUser;
            willReconnect = wasCurrent && !closedByUser && reconnectInitial != null;
            if (willReconnect) {
                scheduleReconnect();
            }
        }
        conn.closeFuture.complete(null);
        if (wasCurrent) {
            emitClose(new CloseEvent(code, reason == null ? "" : reason, byClient, willReconnect));
        }
    }

    /** Under lock. */
    private void scheduleReconnect() {
        long initial = reconnectInitial.toNanos();
        long max = reconnectMax.toNanos();
        long delay = initial;
        for (int i = 0; i < attempt && delay < max; i++) {
            delay = delay > max / 2 ? max : delay * 2;
        }
        delay = Math.min(delay, max);
        attempt++;
        reconnectTask = Shared.SCHEDULER.schedule(this::reconnectNow, delay, TimeUnit.NANOSECONDS);
    }

    private void reconnectNow() {
        synchronized (lock) {
            reconnectTask = null;
            if (closedByUser) {
                return;
            }
        }
        open().whenComplete((conn, e) -> {
            if (e != null) {
                synchronized (lock) {
                    if (closedByUser || current != null) {
                        return;
                    }
                    if (!refusedCredentials(e)) {
                        scheduleReconnect();
                    }
                }
                emitError(e);
                return;
            }
            if (reconnectHook != null) {
                runEvent(() -> {
                    try {
                        CompletionStage<?> stage = reconnectHook.apply(this);
                        if (stage != null) {
                            stage.whenComplete((r, err) -> {
                                if (err != null) {
                                    emitError(err);
                                }
                            });
                        }
                    } catch (RuntimeException | Error err) {
                        reportError(err);
                    }
                });
            }
        });
    }

    /** A handshake refused with 401 or 403: the same credentials would be refused again. */
    private static boolean refusedCredentials(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof WsrvConnectionException w && w.handshakeStatus().isPresent()) {
            int status = w.handshakeStatus().getAsInt();
            return status == 401 || status == 403;
        }
        return false;
    }

    private void onMessage(Connection conn, String text) {
        if (text.isEmpty()) {
            return; // a heartbeat
        }
        JsonObject o;
        try {
            o = JsonSupport.parseObject(text);
        } catch (RuntimeException e) {
            emitError(new IllegalArgumentException("wsrv: inbound message is not a JSON object: " + e.getMessage(), e));
            return;
        }
        String seqno = JsonSupport.string(o, "seqno");
        String cmd = JsonSupport.string(o, "cmd");
        int status = o.get("status") instanceof JsonNumber n ? n.intValue() : 0;
        String msg = JsonSupport.string(o, "msg");
        JsonValue data = o.getOrDefault("data", JsonValue.NULL);
        Pending<?> p = conn.pending.remove(seqno);
        if (p != null) {
            p.reply(this, status, msg, data);
            return;
        }
        if (!seqno.isEmpty() && expired.remove(seqno)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "wsrv client: late reply to " + cmd + " (seqno " + seqno
                    + ") dropped");
            return;
        }
        dispatchPush(new Push(cmd, seqno, status, msg, data));
    }

    /** One request waiting for its reply. */
    private static final class Pending<T> {
        final String cmd;
        final String seqno;
        final Function<JsonValue, T> mapper;
        final CompletableFuture<T> future;
        volatile ScheduledFuture<?> timer;

        Pending(String cmd, String seqno, Function<JsonValue, T> mapper, CompletableFuture<T> future) {
            this.cmd = cmd;
            this.seqno = seqno;
            this.mapper = mapper;
            this.future = future;
        }

        void reply(WsrvClient client, int status, String msg, JsonValue data) {
            Runnable r = () -> {
                if (status != 0) {
                    future.completeExceptionally(new WsrvStatusException(status, msg, data, cmd, seqno));
                    return;
                }
                T value;
                try {
                    value = mapper.apply(data);
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                    return;
                }
                future.complete(value);
            };
            try {
                client.executor.execute(r);
            } catch (RejectedExecutionException e) {
                r.run();
            }
        }
    }

    /** A listener, wrapped so that the same listener subscribed twice is two subscriptions. */
    private static final class Registration<E> {
        final Consumer<E> listener;

        Registration(Consumer<E> listener) {
            this.listener = listener;
        }
    }

    /** One WebSocket connection: its pending requests, send queue, heartbeat and inbound reassembly. */
    private final class Connection implements WebSocket.Listener {
        final Map<String, Pending<?>> pending = new ConcurrentHashMap<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
        volatile WebSocket ws;
        volatile int closeCode;
        volatile String closeReason;
        private ScheduledFuture<?> heartbeatTask; // guarded by this

        // outbound: one frame at a time (guarded by queue)
        private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
        private boolean sending;

        // inbound reassembly: only touched by the WebSocket's listener calls, which are sequential
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private boolean discarding;

        WsrvConnectionException closedException(String cmd, String seqno) {
            String reason = closeReason == null || closeReason.isEmpty() ? "" : ", " + closeReason;
            return new WsrvConnectionException("wsrv: connection closed (code " + closeCode + reason
                    + ") before the reply to " + cmd + " (seqno " + seqno + ")", cmd, seqno, closeCode,
                    closeReason == null ? "" : closeReason);
        }

        synchronized void startHeartbeat() {
            if (heartbeat.isZero() || closed.get()) {
                return;
            }
            long nanos = heartbeat.toNanos();
            heartbeatTask = Shared.SCHEDULER.scheduleAtFixedRate(() -> {
                boolean busy;
                synchronized (queue) {
                    busy = sending;
                }
                if (!busy && !closed.get()) {
                    sendText("");
                }
            }, nanos, nanos, TimeUnit.NANOSECONDS);
        }

        synchronized void stopHeartbeat() {
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
                heartbeatTask = null;
            }
        }

        CompletableFuture<Void> sendText(String s) {
            return enqueue(new Outgoing(s, -1, null));
        }

        /** Sends a close frame after the queued frames; aborts when the server has not closed in time. */
        void close(int code, String reason) {
            ScheduledFuture<?> guard = Shared.SCHEDULER.schedule(() -> {
                if (!closed.get()) {
                    WebSocket w = ws;
                    if (w != null) {
                        w.abort();
                    }
                    closed(this, 1006, "no close frame from the server within " + CLOSE_TIMEOUT.toMillis() + " ms");
                }
            }, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            closeFuture.whenComplete((r, e) -> guard.cancel(false));
            // if the close cannot be sent, the output is closed already (the server's close, or a lost
            // connection, is then being handled) or stuck: the guard above ends it either way
            enqueue(new Outgoing(null, code, reason));
        }

        private CompletableFuture<Void> enqueue(Outgoing o) {
            synchronized (queue) {
                queue.add(o);
                if (sending) {
                    return o.done;
                }
                sending = true;
            }
            pump();
            return o.done;
        }

        /** Sends queued frames while their sends complete at once; continues from the send's completion. */
        private void pump() {
            for (;;) {
                Outgoing o;
                synchronized (queue) {
                    o = queue.poll();
                    if (o == null) {
                        sending = false;
                        return;
                    }
                }
                CompletableFuture<WebSocket> f;
                try {
                    f = o.text != null ? ws.sendText(o.text, true) : ws.sendClose(o.closeCode, o.closeReason);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((r, e) -> {
                    if (e != null) {
                        o.done.completeExceptionally(e);
                    } else {
                        o.done.complete(null);
                    }
                });
                if (!f.isDone()) {
                    f.whenComplete((r, e) -> pump());
                    return;
                }
            }
        }

        // --- WebSocket.Listener: called sequentially by the JDK, never by two threads at once

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            try {
                if (!discarding) {
                    if (text.length() + data.length() > maxMessageSize) {
                        tooBig();
                    } else if (last && text.length() == 0) {
                        onMessage(this, data.toString());
                    } else {
                        text.append(data);
                        if (last) {
                            String s = text.toString();
                            text.setLength(0);
                            onMessage(this, s);
                        }
                    }
                }
                if (last) {
                    discarding = false;
                }
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            try {
                if (!discarding) {
                    if (binary.size() + data.remaining() > maxMessageSize) {
                        tooBig();
                    } else {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        binary.write(bytes, 0, bytes.length);
                        if (last) {
                            byte[] all = binary.toByteArray();
                            binary.reset();
                            String s;
                            try {
                                s = StandardCharsets.UTF_8.newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPORT)
                                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                                        .decode(ByteBuffer.wrap(all)).toString();
                            } catch (CharacterCodingException e) {
                                emitError(new IllegalArgumentException(
                                        "wsrv: inbound binary message is not UTF-8", e));
                                s = null;
                            }
                            if (s != null) {
                                onMessage(this, s);
                            }
                        }
                    }
                }
                if (last) {
                    discarding = false;
                }
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        private void tooBig() {
            text.setLength(0);
            binary.reset();
            discarding = true;
            emitError(new IllegalStateException("wsrv: inbound message larger than " + maxMessageSize
                    + "; closing with 1009"));
            close(1009, "message too big");
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1); // the JDK answers the ping with a pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed(this, statusCode, reason);
            return null; // the JDK then answers the close, if we have not sent ours
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(this, 1006, String.valueOf(error));
        }
    }

    /** A text frame ({@code text != null}) or a close frame. */
    private static final class Outgoing {
        final String text;
        final int closeCode;
        final String closeReason;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Outgoing(String text, int closeCode, String closeReason) {
            this.text = text;
            this.closeCode = closeCode;
            this.closeReason = closeReason;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // shared resources

    private static String randomPrefix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x & 0xff) % 36, 36));
        }
        return sb.toString();
    }

    private static ThreadFactory daemonThreads(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Created on first use and shared by every client. */
    private static final class Shared {
        static final HttpClient HTTP = HttpClient.newHttpClient();
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(daemonThreads("wsrv-client-reply", true));
        static final ScheduledThreadPoolExecutor SCHEDULER;

        static {
            SCHEDULER = new ScheduledThreadPoolExecutor(1, daemonThreads("wsrv-client-timer", true));
            SCHEDULER.setRemoveOnCancelPolicy(true);
            SCHEDULER.setKeepAliveTime(30, TimeUnit.SECONDS);
            SCHEDULER.allowCoreThreadTimeOut(true);
        }

        private Shared() {
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // builder

    /**
     * Settings of a {@link WsrvClient}, then {@link #connect()} or {@link #connectAsync()}. Not thread-safe;
     * each {@code connect} creates a new client with the settings at that time.
     */
    public static final class Builder {
        private final URI uri;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration reconnectInitial;
        private Duration reconnectMax;
        private Function<WsrvClient, ? extends CompletionStage<?>> reconnectHook;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Supplier<Map<String, String>> headerSupplier;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Executor executor;
        private HttpClient httpClient;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("wsrv: the URI must be ws:// or wss://: " + uri);
            }
        }

        /**
         * Sets the timeout of requests that do not give their own; 10 s by default.
         *
         * @param timeout the timeout; {@link Duration#ZERO} waits without limit
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = nonNegative(timeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the heartbeat interval; 10 s by default. Keep it below the server's idle timeout (30 s by
         * default).
         *
         * @param interval the interval between empty frames; {@link Duration#ZERO} disables the heartbeat
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = nonNegative(interval, "heartbeat");
            return this;
        }

        /**
         * Sets how long opening a connection may take; 10 s by default.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            if (nonNegative(timeout, "connectTimeout").isZero()) {
                throw new IllegalArgumentException("wsrv: connectTimeout must be positive");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Turns on automatic reconnection with exponential backoff: after a connection closes (other than by
         * {@link WsrvClient#close()}), the client waits {@code initialDelay}, then twice as long after each
         * failed attempt, up to {@code maxDelay}, and tries until it succeeds or is closed. Off by default.
         * Only a client that connected once reconnects; the first connect fails as usual.
         *
         * @param initialDelay the delay before the first attempt, not negative
         * @param maxDelay the longest delay, at least {@code initialDelay}
         * @return this builder
         * @throws IllegalArgumentException if the delays are negative or out of order
         */
        public Builder reconnect(Duration initialDelay, Duration maxDelay) {
            nonNegative(initialDelay, "initialDelay");
            nonNegative(maxDelay, "maxDelay");
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("wsrv: maxDelay must be at least initialDelay");
            }
            this.reconnectInitial = initialDelay;
            this.reconnectMax = maxDelay;
            return this;
        }

        /**
         * Sets a hook run after each successful reconnect, to restore the session state (register again,
         * rejoin groups). The new connection is a new server session.
         *
         * <p>The hook runs on the client's event thread, before the pushes that arrive after the reconnect;
         * it may block on requests. An exception it throws goes to the error listeners. Replaces a hook set
         * before.
         *
         * @param hook the hook, given the client
         * @return this builder
         */
        public Builder onReconnect(Consumer<WsrvClient> hook) {
            Objects.requireNonNull(hook, "hook");
            this.reconnectHook = c -> {
                hook.accept(c);
                return null;
            };
            return this;
        }

        /**
         * Sets an asynchronous hook run after each successful reconnect; see {@link #onReconnect(Consumer)}.
         * A failure of the stage it returns goes to the error listeners.
         *
         * @param hook the hook, given the client; returns a stage, or {@code null}
         * @return this builder
         */
        public Builder onReconnectAsync(Function<WsrvClient, ? extends CompletionStage<?>> hook) {
            this.reconnectHook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Adds an HTTP header to the opening handshake, for example {@code Authorization}.
         *
         * @param name the header name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets a supplier of HTTP headers asked before every connection attempt, the first and each reconnect,
         * for credentials that expire (a fresh {@code Authorization} token). Its headers are added after the
         * fixed ones of {@link #header}.
         *
         * @param supplier gives the headers; called on a client thread, it must not block for long
         * @return this builder
         */
        public Builder headers(Supplier<Map<String, String>> supplier) {
            this.headerSupplier = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /**
         * Sets the largest inbound message; 16 MiB by default. A larger one closes the connection with 1009.
         *
         * @param bytes the limit, in bytes (binary) or chars (text)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("wsrv: maxMessageSize must be positive");
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Sets the executor that completes request stages (and binds reply data); by default a shared pool of
         * daemon threads. It must not run tasks on the calling thread.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the JDK HTTP client that opens the connections (TLS, proxy, authenticator); by default one
         * shared {@link HttpClient#newHttpClient()}.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Creates the client and opens its connection, without blocking.
         *
         * @return completes with the connected client, or fails with a {@link WsrvConnectionException}
         */
        public CompletionStage<WsrvClient> connectAsync() {
            WsrvClient c = new WsrvClient(this);
            return c.open().thenApply(conn -> c);
        }

        /**
         * Creates the client and opens its connection, blocking until it is open.
         *
         * @return the connected client
         * @throws WsrvConnectionException if the connection cannot be opened within the connect timeout, or
         *     the thread is interrupted (its interrupt status is then set)
         */
        public WsrvClient connect() {
            CompletableFuture<WsrvClient> f = connectAsync().toCompletableFuture();
            try {
                return f.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.thenAccept(WsrvClient::closeAsync);
                throw new WsrvConnectionException("wsrv: interrupted while connecting to " + uri, null, null, e);
            } catch (TimeoutException e) {
                f.thenAccept(WsrvClient::closeAsync);
                throw new WsrvConnectionException("wsrv: could not connect to " + uri + " within "
                        + connectTimeout.toMillis() + " ms", null, null, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WsrvConnectionException w) {
                    throw w;
                }
                throw new WsrvConnectionException("wsrv: could not connect to " + uri + ": " + e.getCause(),
                        null, null, e.getCause());
            }
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException("wsrv: " + name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
