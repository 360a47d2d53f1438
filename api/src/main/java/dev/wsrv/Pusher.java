package dev.wsrv;

import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Sends server-initiated messages to sessions, from any thread; inject it into any CDI bean.
 *
 * <p>A push has the response's shape, with status 0, message {@code ok} and a generated unique {@code seqno}.
 * Pushing only enqueues: it never blocks on a slow client, never throws because of a closed or unknown session,
 * and never mutates {@code data}, which is serialised once before it is queued. The returned stage completes
 * when every targeted session has been written to or has failed; its result says which.
 */
public interface Pusher {

    /**
     * Pushes to one session.
     *
     * @param sessionId the target session
     * @param cmd the command of the push
     * @param data the data; {@code null} for {@code {}}
     * @return the outcome; an unknown or closed session is a failure with reason
     *     {@link PushResult#NO_SUCH_SESSION}
     */
    CompletionStage<PushResult> push(String sessionId, String cmd, Object data);

    /**
     * Pushes to every session bound to a user.
     *
     * @param userId the user
     * @param cmd the command of the push
     * @param data the data; {@code null} for {@code {}}
     * @return the outcome
     */
    CompletionStage<PushResult> pushToUser(String userId, String cmd, Object data);

    /**
     * Pushes to every session in a group.
     *
     * @param group the group
     * @param cmd the command of the push
     * @param data the data; {@code null} for {@code {}}
     * @return the outcome
     */
    CompletionStage<PushResult> pushToGroup(String group, String cmd, Object data);

    /**
     * Pushes to every open session.
     *
     * @param cmd the command of the push
     * @param data the data; {@code null} for {@code {}}
     * @return the outcome
     */
    CompletionStage<PushResult> broadcast(String cmd, Object data);

    /**
     * Pushes to every open session that the filter accepts.
     *
     * @param cmd the command of the push
     * @param data the data; {@code null} for {@code {}}
     * @param filter tested against a snapshot of each session; must not block
     * @return the outcome
     */
    CompletionStage<PushResult> broadcast(String cmd, Object data, Predicate<SessionInfo> filter);
}
