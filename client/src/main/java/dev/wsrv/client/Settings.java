package dev.wsrv.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a {@link WsrvClientBuilder} collected, fixed for the life of one client.
 *
 * @param silenceTimeout the longest inbound silence before a connection counts as lost; zero for no check
 * @param reconnect the backoff, or {@code null} when the client does not reconnect
 * @param reconnectHook run after each reconnect, or {@code null}
 * @param headerSupplier asked before every connection attempt, or {@code null}
 * @param resume whether the client asks the server for a resumable session
 * @param sessionListener listens to the session of every connection from the first, or {@code null}
 */
record Settings(URI uri, HttpClient http, Duration requestTimeout, Duration heartbeatInterval,
        Duration silenceTimeout, Duration connectTimeout, ReconnectOptions reconnect,
        Function<WsrvClient, ? extends CompletionStage<?>> reconnectHook, Map<String, String> headers,
        Supplier<Map<String, String>> headerSupplier, int maxMessageSize, Executor executor,
        boolean resume, Consumer<SessionEvent> sessionListener) {
}
