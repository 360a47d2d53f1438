package dev.wsrv;

import java.util.Objects;

/**
 * The CDI event fired once when a session closes, after it has left every registry; observe it with
 * {@code @Observes}.
 *
 * @param id the closed session's id
 * @param user the user it was bound to, or {@code null}
 * @param closeCode the code of the server's own close when the server closed the session (1000 idle timeout, 1001
 *     shutdown, 1008, 1009, 1013); else the client's, as the container reports it (1006 when the connection
 *     dropped)
 * @param reason the close reason, possibly empty
 */
public record SessionClosed(String id, String user, int closeCode, String reason) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code id} or {@code reason} is {@code null}
     */
    public SessionClosed {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
    }
}
