package dev.wsrv;

import java.util.Objects;

/**
 * The CDI event fired once when a session closes, after it has left every registry; observe it with
 * {@code @Observes}.
 *
 * @param id the closed session's id
 * @param user the user it was bound to, or {@code null}
 * @param closeCode the close code as the server saw it (1006 when the connection dropped or timed out)
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
