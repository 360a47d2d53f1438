package dev.wsrv;

import java.util.Objects;

/**
 * The response envelope, also used for pushes: {@code {"cmd","seqno","status","msg","data"}}.
 *
 * <p>Immutable. A {@code null} {@code data} is sent as {@code {}}.
 *
 * @param cmd the command, echoed from the request
 * @param seqno the request id, echoed from the request, or generated for a push
 * @param status 0 for success, anything else for failure
 * @param msg the message, {@code ok} on success by default
 * @param data the data, serialised with JSON-B; may be {@code null}
 */
public record Reply(String cmd, String seqno, int status, String msg, Object data) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code cmd}, {@code seqno} or {@code msg} is {@code null}
     */
    public Reply {
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(seqno, "seqno");
        Objects.requireNonNull(msg, "msg");
    }

    /**
     * Creates a successful reply.
     *
     * @param cmd the command
     * @param seqno the request id
     * @param data the data, may be {@code null}
     * @return the reply with status 0 and message {@code ok}
     */
    public static Reply ok(String cmd, String seqno, Object data) {
        return new Reply(cmd, seqno, Status.OK, Status.OK_MSG, data);
    }
}
