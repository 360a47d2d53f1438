/**
 * Java client of wsrv: {@link dev.wsrv.client.WsrvClient} sends requests over one WebSocket, matches replies by
 * seqno, delivers pushes, keeps the session alive with heartbeats and optionally reconnects with backoff and jitter
 * ({@link dev.wsrv.client.ReconnectOptions}). {@link dev.wsrv.client.WsrvClientBuilder} collects its settings and
 * {@link dev.wsrv.client.RequestOptions} those of one request; the names are those of the JavaScript client.
 *
 * <p>Built on {@code java.net.http.WebSocket} and JSON-B (Yasson at run time). Failures are
 * {@link dev.wsrv.client.WsrvException}s: {@link dev.wsrv.client.WsrvStatusException} (non-zero status),
 * {@link dev.wsrv.client.WsrvTimeoutException} and {@link dev.wsrv.client.WsrvConnectionException}.
 *
 * <p>Inside, one concern per class: {@code Connection} (one socket, with {@code SendQueue} and
 * {@code FrameAssembler}), {@code Reconnector} and {@code Backoff}, {@code PendingRequests}, {@code Listeners}.
 */
package dev.wsrv.client;
