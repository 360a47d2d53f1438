package dev.wsrv.client;

/**
 * Reports why a wsrv request did not produce a successful reply; the common type of the client's failures.
 *
 * <p>A request's {@link java.util.concurrent.CompletionStage} fails with exactly one of the subclasses:
 * {@link WsrvStatusException} (the server answered with a non-zero status), {@link WsrvTimeoutException} (no
 * reply in time) or {@link WsrvConnectionException} (not connected, or the connection closed first).
 * {@link WsrvClient#call(String, Object) WsrvClient.call} throws it as it is; waiting on the stage instead wraps it
 * ({@code join()} in a {@link java.util.concurrent.CompletionException}, {@code get()} in an
 * {@link java.util.concurrent.ExecutionException}). Instances are immutable and safe to share between threads.
 */
public abstract sealed class WsrvException extends RuntimeException
        permits WsrvStatusException, WsrvTimeoutException, WsrvConnectionException {

    private static final long serialVersionUID = 1L;

    /** The request's command, or {@code null}. */
    private final String cmd;
    /** The request's seqno, or {@code null}. */
    private final String seqno;

    /**
     * Creates the exception.
     *
     * @param message the detail message
     * @param cmd the command of the request, or {@code null} when there is none
     * @param seqno the seqno of the request, or {@code null} when there is none
     * @param cause the cause, or {@code null}
     */
    WsrvException(String message, String cmd, String seqno, Throwable cause) {
        super(message, cause);
        this.cmd = cmd;
        this.seqno = seqno;
    }

    /**
     * Returns the command of the request that failed.
     *
     * @return the command, or {@code null} when the failure concerns no request (a failed connect)
     */
    public String cmd() {
        return cmd;
    }

    /**
     * Returns the seqno the client gave the request that failed.
     *
     * @return the seqno, or {@code null} when the failure concerns no request
     */
    public String seqno() {
        return seqno;
    }
}
