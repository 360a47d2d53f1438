package dev.wsrv;

import jakarta.json.JsonValue;
import java.util.Objects;

/**
 * The request envelope {@code {"cmd","seqno","data"}} as received, as handlers and middleware see it through the
 * {@link Context} (the runtime's codec wraps it with its frame type before the dispatcher runs it).
 *
 * <p>Immutable.
 *
 * @param cmd the non-empty command
 * @param seqno the client's request id, {@code ""} when absent
 * @param data the raw data, {@link JsonValue#NULL} when absent
 */
public record Request(String cmd, String seqno, JsonValue data) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is {@code null}
     * @throws IllegalArgumentException if {@code cmd} is empty
     */
    public Request {
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(seqno, "seqno");
        Objects.requireNonNull(data, "data");
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("cmd must not be empty");
        }
    }
}
