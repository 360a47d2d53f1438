package dev.wsrv;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a push: which sessions it was written to and which it could not reach, and why.
 *
 * <p>Immutable. A push to a user or group with no sessions reaches nobody and has no failures.
 *
 * @param delivered the ids of the sessions the message was written to
 * @param failures the sessions that were targeted but not reached
 */
public record PushResult(List<String> delivered, List<Failure> failures) {

    /** The reason given for a session id that is not connected (never was, or closed). */
    public static final String NO_SUCH_SESSION = "no such session";

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a list is {@code null}
     */
    public PushResult {
        delivered = List.copyOf(delivered);
        failures = List.copyOf(failures);
    }

    /**
     * Returns how many sessions the message was written to.
     *
     * @return the number of delivered sessions
     */
    public int reached() {
        return delivered.size();
    }

    /**
     * Tells whether every targeted session was reached.
     *
     * @return {@code true} when there are no failures
     */
    public boolean complete() {
        return failures.isEmpty();
    }

    /**
     * One session a push did not reach.
     *
     * @param sessionId the session id
     * @param reason why, for example {@link PushResult#NO_SUCH_SESSION}
     */
    public record Failure(String sessionId, String reason) {

        /**
         * Checks the fields.
         *
         * @throws NullPointerException if a field is {@code null}
         */
        public Failure {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
