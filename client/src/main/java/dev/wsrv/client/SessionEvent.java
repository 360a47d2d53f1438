package dev.wsrv.client;

import java.util.Objects;

/**
 * What the server said about the session of a new connection, when the client asked to resume
 * (docs/protocol.md#resumable-sessions): the session was recovered, with the pushes missed meanwhile replayed, or a
 * new session began and {@code reason} says why.
 *
 * @param sessionId the session's id
 * @param recovered {@code true} when the session of the previous connection was resumed
 * @param reason why it was not recovered: {@code new} (the first connection), {@code expired}, {@code unknown-token},
 *     {@code buffer-full}, {@code node-lost}, {@code pushes-lost}; empty when recovered
 * @param replayed how many missed pushes the server replayed, 0 when not recovered
 */
public record SessionEvent(String sessionId, boolean recovered, String reason, int replayed) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code sessionId} or {@code reason} is {@code null}
     */
    public SessionEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(reason, "reason");
    }
}
