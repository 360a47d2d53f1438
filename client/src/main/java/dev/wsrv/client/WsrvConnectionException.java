package dev.wsrv.client;

import java.util.OptionalInt;

/**
 * Reports that the client could not connect, was not connected when a request was made, or that the
 * connection closed before a request's reply arrived.
 *
 * <p>When the connection closed, {@link #closeCode()} tells how (1000 normal or idle timeout, 1001 server
 * shutdown, 1006 connection lost without a close frame, ...). Immutable and thread-safe.
 */
public final class WsrvConnectionException extends WsrvException {

    private static final long serialVersionUID = 1L;

    /** The close code, -1 when the failure was not a close. */
    private final int closeCode;
    /** The close reason, {@code null} when the failure was not a close. */
    private final String closeReason;

    /**
     * Creates the exception for a failure that is not a close (not connected, could not connect).
     *
     * @param message the detail message
     * @param cmd the command of the request, or {@code null}
     * @param seqno the seqno of the request, or {@code null}
     * @param cause the cause, or {@code null}
     */
    public WsrvConnectionException(String message, String cmd, String seqno, Throwable cause) {
        super(message, cmd, seqno, cause);
        this.closeCode = -1;
        this.closeReason = null;
    }

    /**
     * Creates the exception for a request whose connection closed before the reply.
     *
     * @param message the detail message
     * @param cmd the command of the request, or {@code null}
     * @param seqno the seqno of the request, or {@code null}
     * @param closeCode the WebSocket close code
     * @param closeReason the close reason, or {@code null}
     */
    public WsrvConnectionException(String message, String cmd, String seqno, int closeCode, String closeReason) {
        super(message, cmd, seqno, null);
        this.closeCode = closeCode;
        this.closeReason = closeReason;
    }

    /**
     * Returns the close code of the connection whose closing caused this failure.
     *
     * @return the close code, or empty when the failure was not caused by a close
     */
    public OptionalInt closeCode() {
        return closeCode < 0 ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    /**
     * Returns the close reason of the connection whose closing caused this failure.
     *
     * @return the reason, possibly empty, or {@code null} when the failure was not caused by a close
     */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Returns the HTTP status the server refused the opening handshake with: 401 or 403 from its authentication
     * or origin check, 429 or 503 from its connection limits.
     *
     * @return the status, or empty when the failure was not a refused handshake
     */
    public OptionalInt handshakeStatus() {
        return getCause() instanceof java.net.http.WebSocketHandshakeException h
                ? OptionalInt.of(h.getResponse().statusCode()) : OptionalInt.empty();
    }
}
