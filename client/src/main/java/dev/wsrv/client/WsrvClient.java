package dev.wsrv.client;

import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client of a wsrv server: sends requests and matches their replies by seqno, delivers pushes, sends
 * heartbeats and optionally reconnects.
 *
 * <pre>{@code
 * try (WsrvClient c = WsrvClient.connect(URI.create("ws://127.0.0.1:8800/ws"))) {
 *     Subscription s = c.onPush("have_user_register", p -> System.out.println(p.data()));
 *     c.call("register", Map.of("uid", 7));                          // blocks; throws a WsrvException
 *     UserInfo me = c.call("userinfo", null, UserInfo.class);
 *     CompletionStage<JsonValue> later = c.request("userinfo", null);  // does not block
 * }
 * }</pre>
 *
 * <h2>Requests</h2>
 * Each request gets a seqno unique to this client ({@code <random prefix>-<counter>}); the reply carrying it
 * completes the request's stage: with the reply's data when its status is 0, otherwise with a
 * {@link WsrvStatusException}. No reply within the timeout (10 s by default, or the request's own through
 * {@link RequestOptions}) fails it with a {@link WsrvTimeoutException}, and the late reply, if any, is dropped. A
 * request made while not connected, or pending when the connection closes, fails with a
 * {@link WsrvConnectionException}. {@code call(...)} is the blocking form of {@code request(...)}: it returns the
 * data and throws the failure itself. Requests are always sent as text frames; replies and pushes may be text or
 * binary, whole or fragmented.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe; any number of threads may send requests at once (sends are queued, one
 * frame at a time, as the JDK WebSocket requires). The JDK's WebSocket thread only reassembles and parses
 * frames; it never runs user code:
 * <ul>
 *   <li>Request stages complete on the client's executor ({@link WsrvClientBuilder#executor}, by default a shared
 *       pool of daemon threads), in no particular order. Dependent actions attached before completion run
 *       there (so a {@code call(...)} in one needs an executor with a thread to spare).</li>
 *   <li>Push, close and error listeners and the reconnect hook run on one dedicated event thread per
 *       client, one at a time, in the order the messages arrived. A slow listener delays the later ones but
 *       not replies, so a listener may block on a request ({@code call(...)}) without deadlock.</li>
 * </ul>
 *
 * <h2>Heartbeat, reconnect and resume</h2>
 * While connected the client sends an empty text frame every {@link WsrvClientBuilder#heartbeatInterval heartbeat
 * interval} (10 s by default), which keeps the session alive past the server's idle timeout (30 s by default). A send
 * that fails while the client is not closing ends the connection as lost (close code 1006): the JDK's WebSocket
 * sometimes misses the end of a TCP connection, and the next heartbeat finds it; so does an optional
 * {@link WsrvClientBuilder#silenceTimeout silence timeout}. With {@link WsrvClientBuilder#reconnect reconnect} set, a
 * connection closed by anything but {@link #close()} (or by the server's 4001, the session resumed elsewhere) is
 * reopened with exponential backoff and jitter ({@link ReconnectOptions}), and the client
 * {@link WsrvClientBuilder#resume resumes} its session where the server allows it: the pushes missed meanwhile
 * arrive once and in order, the {@link #onSession session listeners} learn whether it was recovered, and the
 * {@link WsrvClientBuilder#onReconnect onReconnect} hook, which registers again, runs only when it was not. Requests
 * pending at the drop fail with a {@link WsrvConnectionException} ("connection lost"; the server may have run them),
 * and so do requests made while reconnecting. Credentials can come from a {@link WsrvClientBuilder#headers header
 * supplier}, asked before every attempt. A reconnect refused with HTTP 401 or 403 is not retried, nor is one after
 * {@link ReconnectOptions#maxAttempts()} failures in a row: the error listeners get the
 * {@link WsrvConnectionException}, and the client stays disconnected until it is closed.
 *
 * <p>No method accepts {@code null} unless it says so.
 */
public final class WsrvClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WsrvClient.class.getName());

    /** The default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default largest inbound message, in bytes (UTF-8) or chars. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    private final Settings settings;
    private final Listeners listeners;
    private final PendingRequests pending;
    private final Inbound inbound;
    /** {@code null} when the client does not reconnect. */
    private final Reconnector reconnector;

    private final Object lock = new Object();
    private volatile Connection current; // written under lock
    private boolean closedByUser; // guarded by lock
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    WsrvClient(Settings settings) {
        this.settings = settings;
        this.listeners = new Listeners(settings.uri().toString());
        this.pending = new PendingRequests(settings.executor());
        if (settings.sessionListener() != null) {
            listeners.onSession(settings.sessionListener());
        }
        this.inbound = new Inbound(this, settings.reconnectHook(), listeners, pending,
                settings.resume() ? new Recovery() : null);
        this.reconnector = settings.reconnect() == null ? null : new Reconnector(settings.reconnect(),
                new Reconnector.Host() {
                    @Override
                    public CompletableFuture<?> connect() {
                        return open();
                    }

                    @Override
                    public void reconnected() {
                        inbound.reconnected();
                    }

                    @Override
                    public void failed(Throwable error) {
                        listeners.error(error);
                    }
                });
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
    public static WsrvClientBuilder builder(URI uri) {
        return new WsrvClientBuilder(uri);
    }

    // ---------------------------------------------------------------------------------------------------
    // requests

    /**
     * Sends a request with the client's request timeout; the stage completes with the reply's data.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, serialised with JSON-B ({@link JsonValue}s as they are); {@code null}
     *     sends no {@code data}
     * @return the reply's data, {@link JsonValue#NULL} when absent; or a failure with a {@link WsrvException}
     *     (or the JSON-B exception when {@code data} cannot be serialised)
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public CompletionStage<JsonValue> request(String cmd, Object data) {
        return send(cmd, data, settings.requestTimeout(), v -> v);
    }

    /**
     * Sends a request with the client's request timeout; the stage completes with the reply's data bound to a
     * class.
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
        return request(cmd, data, RequestOptions.replyAs(type));
    }

    /**
     * Sends a request with options: a timeout of its own, a generic type to bind the reply's data to, or both.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none; see {@link #request(String, Object)}
     * @param options the reply's type and the request's timeout
     * @param <T> the reply type
     * @return the bound data, or a failure; see {@link #request(String, Object, Class)}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public <T> CompletionStage<T> request(String cmd, Object data, RequestOptions<T> options) {
        Objects.requireNonNull(options, "options");
        return send(cmd, data, options.timeout().orElse(settings.requestTimeout()),
                v -> JsonSupport.bind(v, options.type()));
    }

    /**
     * Sends a request and waits for the reply's data: the blocking form of {@link #request(String, Object)}, for
     * tests, scripts and threads that may block (push listeners may). A failure is thrown as it is, not wrapped in
     * an {@link ExecutionException} or {@link CompletionException}, with the caller's stack trace.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none; see {@link #request(String, Object)}
     * @return the reply's data, {@link JsonValue#NULL} when absent
     * @throws WsrvStatusException if the reply's status is not 0; its message includes the reply's msg and data
     * @throws WsrvTimeoutException if no reply arrives within the client's request timeout
     * @throws WsrvConnectionException if the client is not connected, or the connection closes before the reply
     * @throws java.util.concurrent.CancellationException if the thread is interrupted while waiting; its interrupt
     *     status is set again, and the reply, should it come, is dropped
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public JsonValue call(String cmd, Object data) {
        return BlockingCall.await(request(cmd, data), cmd);
    }

    /**
     * Sends a request and waits for the reply's data bound to a class: the blocking form of
     * {@link #request(String, Object, Class)}; failures as in {@link #call(String, Object)}.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none
     * @param type the class to bind the reply's data to with JSON-B
     * @param <T> the reply type
     * @return the bound data ({@code null} when the data is JSON {@code null})
     * @throws WsrvException as {@link #call(String, Object)} says
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T call(String cmd, Object data, Class<T> type) {
        return BlockingCall.await(request(cmd, data, type), cmd);
    }

    /**
     * Sends a request with options and waits for the reply's data: the blocking form of
     * {@link #request(String, Object, RequestOptions)}; failures as in {@link #call(String, Object)}. With a timeout
     * of zero it waits as long as the connection lives.
     *
     * @param cmd the command, non-empty
     * @param data the request's data, or {@code null} for none
     * @param options the reply's type and the request's timeout
     * @param <T> the reply type
     * @return the bound data
     * @throws WsrvException as {@link #call(String, Object)} says
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T call(String cmd, Object data, RequestOptions<T> options) {
        return BlockingCall.await(request(cmd, data, options), cmd);
    }

    private <T> CompletionStage<T> send(String cmd, Object data, Duration timeout, Function<JsonValue, T> mapper) {
        Objects.requireNonNull(cmd, "cmd");
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("wsrv: cmd must not be empty");
        }
        String seqno = pending.nextSeqno();
        Connection conn = current;
        if (conn == null || conn.isClosed()) {
            return CompletableFuture.failedFuture(new WsrvConnectionException(
                    "wsrv: not connected to " + settings.uri() + ", cannot send " + cmd + " (seqno " + seqno + ")",
                    cmd, seqno, null));
        }
        String text;
        try {
            text = JsonSupport.request(cmd, seqno, data == null ? null : JsonSupport.toJson(data));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> reply = pending.add(conn, cmd, seqno, timeout, mapper);
        if (conn.isClosed()) {
            // closed while registering: the close may have missed this request
            pending.fail(seqno, reply, conn.closedException(cmd, seqno));
            return reply;
        }
        conn.sendText(text).whenComplete((ws, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                pending.fail(seqno, reply, conn.isClosed() ? conn.closedException(cmd, seqno)
                        : new WsrvConnectionException("wsrv: cannot send " + cmd + " (seqno " + seqno + "): "
                                + cause, cmd, seqno, cause));
            }
        });
        return reply;
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
        return listeners.onPush(cmd, listener);
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
        return listeners.onClose(listener);
    }

    /**
     * Listens to problems that concern no request: an inbound message that is not a JSON object, a failing
     * listener or reconnect hook, a failed reconnect attempt, giving up reconnecting. Without error listeners they
     * are logged.
     *
     * <p>The listener runs on the client's event thread; an exception it throws is logged.
     *
     * @param listener the listener
     * @return the subscription; close it to stop listening
     */
    public Subscription onError(Consumer<Throwable> listener) {
        return listeners.onError(listener);
    }

    /**
     * Listens to the session of each connection, when the client {@link WsrvClientBuilder#resume asks to resume}:
     * recovered, or new and why. The listener runs on the client's event thread, before the replayed pushes.
     *
     * @param listener the listener
     * @return the subscription; close it to stop listening
     */
    public Subscription onSession(Consumer<SessionEvent> listener) {
        return listeners.onSession(listener);
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
        return c != null && !c.isClosed();
    }

    /**
     * Returns the endpoint this client connects to.
     *
     * @return the URI
     */
    public URI uri() {
        return settings.uri();
    }

    /**
     * Sends one heartbeat (an empty text frame) now, in addition to the automatic ones.
     *
     * @return {@code false} when not connected
     */
    public boolean heartbeat() {
        Connection c = current;
        if (c == null || c.isClosed()) {
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
            f.get(Connection.CLOSE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
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
            c = current;
        }
        if (reconnector != null) {
            reconnector.cancel();
        }
        if (c == null) {
            terminated.complete(null);
        } else {
            c.closeFuture().whenComplete((r, e) -> terminated.complete(null));
            c.close(1000, "");
        }
        return terminated.minimalCompletionStage();
    }

    // ---------------------------------------------------------------------------------------------------
    // connections

    /** Opens a new connection, the first or a reconnect: every connection attempt starts here. */
    CompletableFuture<Connection> open() {
        return Connection.open(settings, inbound.connecting(settings.uri()), new Connection.Owner() {
            @Override
            public void message(Connection c, String text) {
                inbound.message(c, text);
            }

            @Override
            public void closed(Connection c) {
                connectionEnded(c);
            }

            @Override
            public void problem(Throwable error) {
                listeners.error(error);
            }
        }).thenCompose(conn -> {
            boolean abandon;
            synchronized (lock) {
                abandon = closedByUser || conn.isClosed();
                if (!abandon) {
                    current = conn;
                }
            }
            if (abandon) {
                conn.close(1000, "");
                return CompletableFuture.failedFuture(new WsrvConnectionException("wsrv: "
                        + (conn.isClosed() ? "connection closed" : "client closed") + " while connecting to "
                        + settings.uri(), null, null, null));
            }
            if (reconnector != null) {
                reconnector.connected();
            }
            conn.startTimers();
            return CompletableFuture.completedFuture(conn);
        });
    }

    /** Runs once per connection, whatever ended it. */
    private void connectionEnded(Connection conn) {
        pending.failAll(conn);
        boolean wasCurrent;
        boolean byClient;
        synchronized (lock) {
            wasCurrent = current == conn;
            if (wasCurrent) {
                current = null;
            }
            byClient = closedByUser;
        }
        // 4001: the session was resumed on another connection, which a reconnect would take away again
        boolean willReconnect = wasCurrent && !byClient && reconnector != null && conn.closeCode() != 4001;
        if (willReconnect) {
            reconnector.connectionLost();
        }
        if (wasCurrent) {
            listeners.close(new CloseEvent(conn.closeCode(), conn.closeReason(), byClient, willReconnect));
        }
    }
}
