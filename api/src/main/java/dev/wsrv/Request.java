package dev.wsrv;

import jakarta.json.JsonValue;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The request envelope {@code {"cmd","seqno","data"}} as received, as handlers and middleware see it through the
 * {@link Context} (the runtime's codec wraps it with its frame type before the dispatcher runs it).
 *
 * <p>Immutable and thread-safe. The runtime keeps {@code data} as the frame's text until something asks for it:
 * {@link #data()} builds the value on its first call and returns the same value afterwards, on any thread. Two
 * requests are equal when their {@code cmd}, {@code seqno} and {@code data} are.
 */
public final class Request {

    private final String cmd;
    private final String seqno;
    /** Builds {@code data} on first use; {@code null} once built. Guarded by {@code this}. */
    private Supplier<? extends JsonValue> source;
    private volatile JsonValue data;

    /**
     * Creates a request.
     *
     * @param cmd the non-empty command
     * @param seqno the client's request id, {@code ""} when absent
     * @param data the raw data, {@link JsonValue#NULL} when absent
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public Request(String cmd, String seqno, JsonValue data) {
        this(cmd, seqno, null, Objects.requireNonNull(data, "data"));
    }

    private Request(String cmd, String seqno, Supplier<? extends JsonValue> source, JsonValue data) {
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(seqno, "seqno");
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("cmd must not be empty");
        }
        this.cmd = cmd;
        this.seqno = seqno;
        this.source = source;
        this.data = data;
    }

    /**
     * Creates a request whose data is built only when {@link #data()} is first called, by {@code data}, which is
     * called at most once and must not return {@code null}.
     *
     * @param cmd the non-empty command
     * @param seqno the client's request id, {@code ""} when absent
     * @param data builds the raw data, {@link JsonValue#NULL} when absent
     * @return the request
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public static Request deferred(String cmd, String seqno, Supplier<? extends JsonValue> data) {
        return new Request(cmd, seqno, Objects.requireNonNull(data, "data"), null);
    }

    /**
     * Returns the command.
     *
     * @return the non-empty command
     */
    public String cmd() {
        return cmd;
    }

    /**
     * Returns the client's request id.
     *
     * @return the id, {@code ""} when absent
     */
    public String seqno() {
        return seqno;
    }

    /**
     * Returns the request's data, built on the first call and the same value on every later one.
     *
     * @return the raw data, {@link JsonValue#NULL} when absent; never {@code null}
     */
    public JsonValue data() {
        JsonValue d = data;
        if (d == null) {
            synchronized (this) {
                d = data;
                if (d == null) {
                    d = Objects.requireNonNull(source.get(), "data");
                    source = null;
                    data = d;
                }
            }
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Request r && cmd.equals(r.cmd) && seqno.equals(r.seqno)
                && data().equals(r.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(cmd, seqno, data());
    }

    @Override
    public String toString() {
        return "Request[cmd=" + cmd + ", seqno=" + seqno + ", data=" + data() + "]";
    }
}
