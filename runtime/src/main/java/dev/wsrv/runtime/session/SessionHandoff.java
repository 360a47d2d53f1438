package dev.wsrv.runtime.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Moves resumable sessions between the nodes of a cluster (docs/protocol.md#resume-on-another-node): a client whose
 * resume token names another node gets its session, with every push it missed, from that node. With no bean of this
 * type (the default) tokens name this node only. A cluster module supplies one together with its
 * {@link PushTransport}; the runtime calls {@link #serve} once before the first resume.
 *
 * <p>The transport orders hand-offs with the pushes it carries: the owner gives the session away at one point of the
 * cluster's push order, and the taker installs it with every push that followed that point, so that each push
 * reaches the session once. Implementations are thread-safe.
 */
public interface SessionHandoff {

    /**
     * Returns this node's name in resume tokens: unique in the cluster, without {@code .}.
     *
     * @return the name, never {@code null}
     */
    String node();

    /**
     * Returns how long this node, when it stops cleanly, keeps answering the others' requests for its resumable
     * sessions (docs/protocol.md#clean-stop-of-a-node): the runtime detaches them instead of ending them, closes their
     * connections with 1001 so that their clients resume on another node, and waits until every one was taken or
     * this time has passed. The transport must carry hand-offs until the runtime has stopped.
     *
     * @return the time; {@link Duration#ZERO} (the default) ends the sessions at the stop
     */
    default Duration drain() {
        return Duration.ZERO;
    }

    /**
     * Makes this node answer the others' requests for its sessions.
     *
     * @param host gives away this node's sessions and installs those that arrive
     */
    void serve(Host host);

    /**
     * Asks the node that owns a session to hand it over. The install function runs on the transport's receiving
     * thread when the owner's answer arrives, with every push that reached the cluster after the owner let go of the
     * session; it returns the id of the installed session, or {@code null}.
     *
     * @param request what the client presented
     * @param install installs the session; called at most once, never after the stage completed exceptionally
     * @return completes after the install, or exceptionally when the owner did not answer in time (killed, gone, or
     *     the broker unreachable); never later than the transport's timeout
     */
    CompletionStage<Void> take(Request request, Function<Arrival, String> install);

    /**
     * A request for a session of another node.
     *
     * @param owner the name of the node the token names
     * @param sessionId the session id
     * @param digest the SHA-256 of the token's secret, base64url: the secret itself never leaves the node it came to
     * @param principal the name of the principal the new connection was admitted as, {@code ""} for none
     * @param last the seqno of the last push the client processed, or {@code null}
     */
    record Request(String owner, String sessionId, String digest, String principal, String last) {
    }

    /**
     * The owner's answer, as the taker receives it.
     *
     * @param snapshot the session, as {@link Host#give} encoded it, or {@code null} when it was refused
     * @param reason why it was refused (a {@code wsrv.session} reason), or {@code null}
     * @param missed every push the cluster carried after the owner let go of the session, in order, for any target
     */
    record Arrival(String snapshot, String reason, List<RemotePush> missed) {
    }

    /**
     * What the owner answers.
     *
     * @param snapshot the session, or {@code null} when it was refused
     * @param reason why it was refused, or {@code null}
     */
    record Given(String snapshot, String reason) {
    }

    /** The runtime's side of a hand-off. Called on the transport's receiving thread, in the cluster's push order. */
    interface Host {

        /**
         * Gives away a session of this node when the request's secret and principal match: it leaves this node
         * without {@code SessionClosed}, and a connection it still had is closed with 4001.
         *
         * @param request the request
         * @param inFlight tells whether a push this node published (by its seqno) has not come back to it through
         *     the transport yet; such pushes the session already had are listed so that the taker skips them
         * @return the session, or why not
         */
        Given give(Request request, Predicate<String> inFlight);

        /**
         * Delivers to a session that arrived here a push this node published before it arrived, whose local delivery
         * it therefore missed.
         *
         * @param sessionId the session
         * @param push the push
         */
        void missed(String sessionId, RemotePush push);
    }
}
