package dev.wsrv.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Settings of a {@link WsrvClient}, then {@link #connect()} or {@link #connectAsync()}; made by
 * {@link WsrvClient#builder(URI)}. The option names are those of the JavaScript client. Not thread-safe; each
 * {@code connect} creates a new client with the settings at that time. No method accepts {@code null}.
 */
public final class WsrvClientBuilder {

    private final URI uri;
    private Duration requestTimeout = WsrvClient.DEFAULT_REQUEST_TIMEOUT;
    private Duration heartbeatInterval = WsrvClient.DEFAULT_HEARTBEAT_INTERVAL;
    private Duration connectTimeout = WsrvClient.DEFAULT_CONNECT_TIMEOUT;
    private Duration silenceTimeout = Duration.ZERO;
    private ReconnectOptions reconnect;
    private Boolean resume;
    private Consumer<SessionEvent> sessionListener;
    private Function<WsrvClient, ? extends CompletionStage<?>> reconnectHook;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Supplier<Map<String, String>> headerSupplier;
    private int maxMessageSize = WsrvClient.DEFAULT_MAX_MESSAGE_SIZE;
    private Executor executor;
    private HttpClient httpClient;

    WsrvClientBuilder(URI uri) {
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
    public WsrvClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = nonNegative(timeout, "requestTimeout");
        return this;
    }

    /**
     * Sets the interval of the empty-frame heartbeat; 10 s by default. Keep it below the server's idle timeout (30 s
     * by default).
     *
     * @param interval the interval; {@link Duration#ZERO} turns the heartbeat off
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public WsrvClientBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = nonNegative(interval, "heartbeatInterval");
        return this;
    }

    /**
     * Ends a connection that has received nothing, not a single frame, for so long, as a lost one (close code 1006,
     * a reconnect if configured): the way to notice a network that drops everything silently, which no send failure
     * reveals. Off by default. Turn it on only against a server that sends something at least that often, such as a
     * server that answers heartbeats or an application that pushes regularly: the wsrv server answers heartbeats only
     * on a {@link #resume resumable} session, where the client watches for two heartbeat intervals and 5 s of silence
     * by itself (docs/protocol.md#heartbeat-echo), so a quiet plain session would otherwise be ended for nothing. Keep
     * it above twice the heartbeat interval.
     *
     * @param timeout the longest silence; {@link Duration#ZERO} turns the check off
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public WsrvClientBuilder silenceTimeout(Duration timeout) {
        this.silenceTimeout = nonNegative(timeout, "silenceTimeout");
        return this;
    }

    /**
     * Sets how long opening a connection may take; 10 s by default.
     *
     * @param timeout the timeout, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public WsrvClientBuilder connectTimeout(Duration timeout) {
        if (nonNegative(timeout, "connectTimeout").isZero()) {
            throw new IllegalArgumentException("wsrv: connectTimeout must be positive");
        }
        this.connectTimeout = timeout;
        return this;
    }

    /**
     * Turns on automatic reconnection: after a connection ends (other than by {@link WsrvClient#close()}), the
     * client tries again with the given backoff until it succeeds, is closed, gives up after
     * {@link ReconnectOptions#maxAttempts()} failed attempts, or is refused with HTTP 401 or 403. Off by default.
     * Only a client that connected once reconnects; the first connect fails as usual.
     *
     * @param options the backoff, for example {@link ReconnectOptions#DEFAULTS}
     * @return this builder
     */
    public WsrvClientBuilder reconnect(ReconnectOptions options) {
        this.reconnect = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Sets a hook run after each successful reconnect, to restore the session state (register again, rejoin
     * groups). The new connection is a new server session.
     *
     * <p>The hook runs on the client's event thread, before the pushes that arrive after the reconnect; it may block
     * on requests. An exception it throws goes to the error listeners. Replaces a hook set before.
     *
     * @param hook the hook, given the client
     * @return this builder
     */
    public WsrvClientBuilder onReconnect(Consumer<WsrvClient> hook) {
        Objects.requireNonNull(hook, "hook");
        this.reconnectHook = c -> {
            hook.accept(c);
            return null;
        };
        return this;
    }

    /**
     * Sets an asynchronous hook run after each successful reconnect; see {@link #onReconnect(Consumer)}. A failure of
     * the stage it returns goes to the error listeners.
     *
     * @param hook the hook, given the client; returns a stage, or {@code null}
     * @return this builder
     */
    public WsrvClientBuilder onReconnectAsync(Function<WsrvClient, ? extends CompletionStage<?>> hook) {
        this.reconnectHook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Asks the server, or not, for a resumable session (docs/protocol.md#resumable-sessions): after a lost
     * connection the client then resumes its session on the next one, with the pushes it missed replayed once and
     * in order, and tells the {@link WsrvClient#onSession session listeners} whether it was recovered. On by default
     * when {@link #reconnect reconnect} is set, off otherwise; a server that does not resume sessions is used as
     * without it.
     *
     * @param on {@code true} to ask
     * @return this builder
     */
    public WsrvClientBuilder resume(boolean on) {
        this.resume = on;
        return this;
    }

    /**
     * Sets a session listener from the first connection on, which {@link WsrvClient#onSession} registered after
     * {@code connect()} could miss; see there. Replaces a listener set before.
     *
     * @param listener the listener
     * @return this builder
     */
    public WsrvClientBuilder onSession(Consumer<SessionEvent> listener) {
        this.sessionListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Adds an HTTP header to the opening handshake, for example {@code Authorization}.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public WsrvClientBuilder header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Sets a supplier of HTTP headers asked before every connection attempt, the first and each reconnect, for
     * credentials that expire (a fresh {@code Authorization} token). Its headers are added after the fixed ones of
     * {@link #header}.
     *
     * @param supplier gives the headers; called on a client thread, it must not block for long
     * @return this builder
     */
    public WsrvClientBuilder headers(Supplier<Map<String, String>> supplier) {
        this.headerSupplier = Objects.requireNonNull(supplier, "supplier");
        return this;
    }

    /**
     * Sets the largest inbound message; 16 MiB by default. A larger one closes the connection with 1009.
     *
     * @param size the limit, in bytes (binary) or chars (text)
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public WsrvClientBuilder maxMessageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("wsrv: maxMessageSize must be positive");
        }
        this.maxMessageSize = size;
        return this;
    }

    /**
     * Sets the executor that completes request stages (and binds reply data); by default a shared pool of daemon
     * threads. It must not run tasks on the calling thread.
     *
     * @param executor the executor
     * @return this builder
     */
    public WsrvClientBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Sets the JDK HTTP client that opens the connections (TLS, proxy, authenticator); by default one shared
     * {@link HttpClient#newHttpClient()}.
     *
     * @param client the client
     * @return this builder
     */
    public WsrvClientBuilder httpClient(HttpClient client) {
        this.httpClient = Objects.requireNonNull(client, "client");
        return this;
    }

    /**
     * Creates the client and opens its connection, without blocking.
     *
     * @return completes with the connected client, or fails with a {@link WsrvConnectionException}
     */
    public CompletionStage<WsrvClient> connectAsync() {
        WsrvClient c = new WsrvClient(new Settings(uri, httpClient != null ? httpClient : ClientThreads.HTTP,
                requestTimeout, heartbeatInterval, silenceTimeout, connectTimeout, reconnect, reconnectHook,
                Map.copyOf(headers), headerSupplier, maxMessageSize,
                executor != null ? executor : ClientThreads.EXECUTOR, resume != null ? resume : reconnect != null, sessionListener));
        return c.open().thenApply(conn -> c);
    }

    /**
     * Creates the client and opens its connection, blocking until it is open.
     *
     * @return the connected client
     * @throws WsrvConnectionException if the connection cannot be opened within the connect timeout, or the thread
     *     is interrupted (its interrupt status is then set)
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
