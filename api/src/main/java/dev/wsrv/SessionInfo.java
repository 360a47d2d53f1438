package dev.wsrv;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of one session: what it was when the snapshot was taken.
 *
 * @param id the session id
 * @param user the bound user, or {@code null}
 * @param groups the groups it belongs to
 * @param attributes its attributes, as set through {@link Context#set}
 * @param openedAt when it opened
 */
public record SessionInfo(String id, String user, Set<String> groups, Map<String, Object> attributes, Instant openedAt) {

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if {@code id}, {@code groups}, {@code attributes} or {@code openedAt} is
     *     {@code null}
     */
    public SessionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(openedAt, "openedAt");
        groups = Set.copyOf(groups);
        attributes = Map.copyOf(attributes);
    }

    /**
     * Returns the bound user.
     *
     * @return the user id, or empty
     */
    public Optional<String> userId() {
        return Optional.ofNullable(user);
    }
}
