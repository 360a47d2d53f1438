package dev.wsrv.client;

import java.util.Objects;

/**
 * Describes the closing of one connection of a {@link WsrvClient}, as given to
 * {@link WsrvClient#onClose(java.util.function.Consumer)} listeners.
 *
 * @param code the WebSocket close code: the server's, or 1006 when the connection was lost without a close
 *     frame
 * @param reason the close reason, never {@code null}, possibly empty
 * @param byClient whether {@link WsrvClient#close()} caused it
 * @param willReconnect whether the client will try to reconnect
 */
public record CloseEvent(int code, String reason, boolean byClient, boolean willReconnect) {

    /**
     * Creates the event, checking that the reason is not {@code null}.
     *
     * @param code the close code
     * @param reason the close reason
     * @param byClient whether the client closed
     * @param willReconnect whether the client will reconnect
     * @throws NullPointerException if the reason is {@code null}
     */
    public CloseEvent {
        Objects.requireNonNull(reason, "reason");
    }
}
