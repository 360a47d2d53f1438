/**
 * Java client of wsrv: {@link dev.wsrv.client.WsrvClient} sends requests over one WebSocket, matches replies by
 * seqno, delivers pushes, keeps the session alive with heartbeats and optionally reconnects.
 *
 * <p>Built on {@code java.net.http.WebSocket} and JSON-B (Yasson at run time). Failures are
 * {@link dev.wsrv.client.WsrvException}s: {@link dev.wsrv.client.WsrvStatusException} (non-zero status),
 * {@link dev.wsrv.client.WsrvTimeoutException} and {@link dev.wsrv.client.WsrvConnectionException}.
 */
package dev.wsrv.client;
