package dev.wsrv;

import java.util.Objects;

/**
 * The CDI event fired when a client resumed its session on a new connection on this node; observe it with
 * {@code @Observes}. {@link SessionOpened} does not fire for it.
 *
 * @param id the session's id, the same as before
 * @param user the user it is bound to, or {@code null}
 * @param replayed how many buffered pushes the new connection was sent before live pushes
 */
public record SessionResumed(String id, String user, int replayed) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code id} is {@code null}
     * @throws IllegalArgumentException if {@code replayed} is negative
     */
    public SessionResumed {
        Objects.requireNonNull(id, "id");
        if (replayed < 0) {
            throw new IllegalArgumentException("replayed must not be negative");
        }
    }
}
