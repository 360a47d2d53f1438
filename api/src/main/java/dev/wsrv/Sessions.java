package dev.wsrv;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Queries the sessions open on this node, and who is online across a cluster; inject it into any CDI bean.
 *
 * <p>Every result is an immutable snapshot: it does not change when sessions open, close or change later.
 * Thread-safe.
 *
 * <p>The cluster-wide questions ({@link #nodesOfUser}, {@link #onlineAnywhere}, {@link #groupSizeInCluster},
 * {@link #countInCluster}) answer asynchronously and never block the caller. On a single node they answer from this
 * node at once. In a cluster they ask the cluster's presence store (README "Cluster"): a change on another node shows
 * after that node has written it, a fraction of a second later; a node that stopped cleanly is gone at once, and one
 * that died counts until its heartbeat lapses (5 s by default); a store that does not answer within its timeout fails
 * the stage, it never hangs. Sessions waiting to be resumed count like open ones, as on this node.
 */
public interface Sessions {

    /**
     * Streams a snapshot of every open session.
     *
     * @return the sessions, in no particular order
     */
    Stream<SessionInfo> stream();

    /**
     * Returns the ids of the open sessions.
     *
     * @return the ids
     */
    default Set<String> ids() {
        return stream().map(SessionInfo::id).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns how many sessions are open.
     *
     * @return the count
     */
    default int count() {
        return (int) stream().count();
    }

    /**
     * Returns one session.
     *
     * @param id the session id
     * @return its snapshot, or empty when no such session is open
     */
    default Optional<SessionInfo> find(String id) {
        return stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * Returns the sessions bound to a user.
     *
     * @param userId the user
     * @return the sessions
     */
    default List<SessionInfo> ofUser(String userId) {
        return stream().filter(s -> userId.equals(s.user())).toList();
    }

    /**
     * Returns the members of a group.
     *
     * @param group the group
     * @return the sessions
     */
    default List<SessionInfo> inGroup(String group) {
        return stream().filter(s -> s.groups().contains(group)).toList();
    }

    /**
     * Returns this node's id, the key of {@link #nodesOfUser}.
     *
     * @return the id; {@code "local"} on a single node
     */
    default String node() {
        return "local";
    }

    /**
     * Tells on which nodes of the cluster a user has sessions.
     *
     * @param userId the user
     * @return node id to the number of the user's sessions there, only nodes with at least one; empty when the user
     *     is online nowhere
     */
    default CompletionStage<Map<String, Integer>> nodesOfUser(String userId) {
        int here = ofUser(userId).size();
        return CompletableFuture.completedFuture(here == 0 ? Map.of() : Map.of(node(), here));
    }

    /**
     * Tells whether a user has a session on any node of the cluster.
     *
     * @param userId the user
     * @return {@code true} when at least one node holds a session of the user
     */
    default CompletionStage<Boolean> onlineAnywhere(String userId) {
        return nodesOfUser(userId).thenApply(nodes -> !nodes.isEmpty());
    }

    /**
     * Counts the members of a group on every node of the cluster.
     *
     * @param group the group
     * @return the number of member sessions
     */
    default CompletionStage<Long> groupSizeInCluster(String group) {
        return CompletableFuture.completedFuture((long) inGroup(group).size());
    }

    /**
     * Counts the sessions of every node of the cluster.
     *
     * @return the number of sessions
     */
    default CompletionStage<Long> countInCluster() {
        return CompletableFuture.completedFuture((long) count());
    }
}
