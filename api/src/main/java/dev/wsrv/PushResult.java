package dev.wsrv;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a push: which sessions of this node it was written to, which it could not reach and why, and
 * how many other nodes it was handed to.
 *
 * <p>Immutable. A push to a user or group with no sessions reaches nobody and has no failures. In a cluster,
 * {@code delivered} still lists only this node's sessions: what other nodes deliver is not known here, so it is
 * never claimed; {@code remoteNodes} says how many other nodes the push was handed to (with the Redis cluster: the
 * other nodes alive when it was published, each of which delivers it), and a push that could not be handed to them
 * is a failure with the id {@link #REMOTE}.
 *
 * <p>A resumable session of this node that is waiting for its client to come back (see
 * docs/protocol.md#resumable-sessions) is listed in {@code buffered}: the push is kept for it and sent when the
 * client resumes, in order, within the recovery window.
 *
 * @param delivered the ids of the sessions of this node the message was written to
 * @param buffered the ids of the resumable sessions of this node the message was kept for until they resume
 * @param failures the targets that were not reached
 * @param remoteNodes how many other nodes the push was handed to (0 on a single node)
 */
public record PushResult(List<String> delivered, List<String> buffered, List<Failure> failures, long remoteNodes) {

    /** The id of the failure reported when a push could not be handed to the other nodes. */
    public static final String REMOTE = "remote";

    /** The reason given for a session id that is not connected (never was, or closed). */
    public static final String NO_SUCH_SESSION = "no such session";

    /**
     * The reason given for a resumable session whose recovery ended because the push would have passed its buffer's
     * bounds; the session is closed.
     */
    public static final String BUFFER_FULL = "recovery buffer full";

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a list is {@code null}
     */
    public PushResult {
        delivered = List.copyOf(delivered);
        buffered = List.copyOf(buffered);
        failures = List.copyOf(failures);
    }

    /**
     * Creates the outcome of a push that no session was waiting for.
     *
     * @param delivered the ids of the sessions of this node the message was written to
     * @param failures the targets that were not reached
     * @param remoteNodes how many other nodes the push was handed to
     */
    public PushResult(List<String> delivered, List<Failure> failures, long remoteNodes) {
        this(delivered, List.of(), failures, remoteNodes);
    }

    /**
     * Creates the outcome of a push on a single node.
     *
     * @param delivered the ids of the sessions the message was written to
     * @param failures the sessions that were targeted but not reached
     */
    public PushResult(List<String> delivered, List<Failure> failures) {
        this(delivered, List.of(), failures, 0);
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
     * Tells whether every targeted session was reached or, for one waiting to resume, buffered.
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
