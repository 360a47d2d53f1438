package dev.wsrv;

import java.util.Objects;

/**
 * The CDI event fired when a resumable session loses its connection and waits for its client to resume it; observe
 * it with {@code @Observes}. The session keeps its id, user, groups and attributes, and pushes to it are buffered
 * until it is resumed ({@link SessionResumed}) or its recovery window ends ({@link SessionClosed}).
 *
 * @param id the session's id
 * @param user the user it is bound to, or {@code null}
 * @param closeCode the code of the lost connection: 1006 when it dropped, 1000 when the server closed it as idle
 * @param reason the close reason, possibly empty
 */
public record SessionDetached(String id, String user, int closeCode, String reason) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code id} or {@code reason} is {@code null}
     */
    public SessionDetached {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
    }
}
