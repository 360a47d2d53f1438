package dev.wsrv;

import java.util.Objects;

/**
 * The CDI event fired once when a session opens, after it is registered; observe it with {@code @Observes}.
 *
 * @param id the new session's id
 */
public record SessionOpened(String id) {

    /**
     * Checks the id.
     *
     * @throws NullPointerException if {@code id} is {@code null}
     */
    public SessionOpened {
        Objects.requireNonNull(id, "id");
    }
}
