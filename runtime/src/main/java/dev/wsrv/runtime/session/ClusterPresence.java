package dev.wsrv.runtime.session;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers who is online across a cluster, for {@link dev.wsrv.Sessions}' cluster-wide questions. With no bean of this
 * type (the default) those questions are answered from this node alone. A cluster module supplies one, which learns
 * this node's changes through {@link SessionRegistry#watch} and answers from what every live node published.
 * Implementations are thread-safe and never block the caller.
 */
public interface ClusterPresence {

    /**
     * Returns this node's id in the cluster.
     *
     * @return the id, never {@code null}
     */
    String node();

    /**
     * Tells on which live nodes a user has sessions.
     *
     * @param user the user id
     * @return node id to the number of the user's sessions there, only nodes with at least one; completes
     *     exceptionally when the cluster's store did not answer in time
     */
    CompletionStage<Map<String, Integer>> nodesOfUser(String user);

    /**
     * Counts the members of a group on every live node.
     *
     * @param group the group
     * @return the sum; completes exceptionally when the cluster's store did not answer in time
     */
    CompletionStage<Long> groupSize(String group);

    /**
     * Counts the sessions of every live node.
     *
     * @return the sum; completes exceptionally when the cluster's store did not answer in time
     */
    CompletionStage<Long> sessionCount();
}
