package dev.wsrv;

/**
 * Ends a request with a given status, message and data; thrown by handlers and middleware.
 *
 * <p>The client receives exactly {@code status}, {@code msg} and {@code data} (or {@code {}} when {@code data} is
 * {@code null}). The exception carries no stack trace: it is a reply, not a fault.
 */
public class WsException extends RuntimeException {

    /** Version of the serialised form. */
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Object data;

    /**
     * Creates an exception that answers with the given status and message and empty data.
     *
     * @param status the non-zero status
     * @param msg the message sent to the client, not {@code null}
     */
    public WsException(int status, String msg) {
        this(status, msg, null);
    }

    /**
     * Creates an exception that answers with the given status, message and data.
     *
     * @param status the non-zero status
     * @param msg the message sent to the client, not {@code null}
     * @param data the response data, serialised with JSON-B; {@code null} for {@code {}}
     * @throws IllegalArgumentException if {@code status} is 0 or {@code msg} is {@code null}
     */
    public WsException(int status, String msg, Object data) {
        super(msg, null, false, false);
        if (status == Status.OK) {
            throw new IllegalArgumentException("a WsException needs a non-zero status");
        }
        if (msg == null) {
            throw new IllegalArgumentException("msg must not be null");
        }
        this.status = status;
        this.data = data;
    }

    /**
     * Returns the status sent to the client.
     *
     * @return the non-zero status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the message sent to the client.
     *
     * @return the message, never {@code null}
     */
    public String msg() {
        return getMessage();
    }

    /**
     * Returns the data sent to the client.
     *
     * @return the data, or {@code null} for {@code {}}
     */
    public Object data() {
        return data;
    }
}
