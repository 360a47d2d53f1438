package dev.wsrv.client;

import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Reports a reply whose {@code status} is not 0, with the reply's status, msg and data.
 *
 * <p>For example the demo answers a bad uid with status 422, msg {@code invalid data} and data
 * {@code [{"path":"uid","message":"must be a positive integer"}]}. Immutable and thread-safe.
 */
public final class WsrvStatusException extends WsrvException {

    private static final long serialVersionUID = 1L;

    /** The reply's status. */
    private final int status;
    /** The reply's msg. */
    private final String msg;
    /** The reply's data; not serialised. */
    private final transient JsonValue data;

    /**
     * Creates the exception from a reply's fields.
     *
     * @param status the non-zero status
     * @param msg the reply's msg, not {@code null} ({@code ""} when absent)
     * @param data the reply's data, not {@code null} ({@link JsonValue#NULL} when absent)
     * @param cmd the command, not {@code null}
     * @param seqno the seqno, not {@code null}
     */
    public WsrvStatusException(int status, String msg, JsonValue data, String cmd, String seqno) {
        super("wsrv: " + cmd + " (seqno " + seqno + ") failed with status " + status + ": " + msg,
                Objects.requireNonNull(cmd, "cmd"), Objects.requireNonNull(seqno, "seqno"), null);
        this.status = status;
        this.msg = Objects.requireNonNull(msg, "msg");
        this.data = Objects.requireNonNull(data, "data");
    }

    /**
     * Returns the reply's status.
     *
     * @return the status, never 0
     */
    public int status() {
        return status;
    }

    /**
     * Returns the reply's msg.
     *
     * @return the message, never {@code null}
     */
    public String msg() {
        return msg;
    }

    /**
     * Returns the reply's data as raw JSON.
     *
     * @return the data, never {@code null}; {@link JsonValue#NULL} when the reply had none
     */
    public JsonValue data() {
        return data;
    }

    /**
     * Binds the reply's data to a class with JSON-B.
     *
     * @param type the class to bind to, not {@code null}
     * @param <T> the bound type
     * @return the bound value; {@code null} when the data is JSON {@code null}
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T data(Class<T> type) {
        return JsonSupport.bind(data, type);
    }

    /**
     * Binds the reply's data to a generic type with JSON-B, for example a parameterised {@code List}.
     *
     * @param type the type to bind to, not {@code null}
     * @param <T> the bound type (unchecked)
     * @return the bound value; {@code null} when the data is JSON {@code null}
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T data(Type type) {
        return JsonSupport.bind(data, type);
    }
}
