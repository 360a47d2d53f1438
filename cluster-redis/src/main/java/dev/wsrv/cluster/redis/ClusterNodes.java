package dev.wsrv.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The nodes of one cluster that are alive, as one Redis sorted set ({@code <channel>:nodes}): every node adds its id
 * once per {@link #BEAT} with a deadline of its lifetime ({@code wsrv.redis.nodeTtlMs}, 5 s by default) on Redis'
 * clock, and each heartbeat drops the members whose deadline has passed and answers the others. A node that stops
 * cleanly leaves at once; one that is killed or cut off from Redis drops out after its lifetime. The set expires with
 * the last node.
 *
 * <p>Thread-safe. {@link #live()} is the answer of this node's last heartbeat, so it is at most one beat old.
 */
public final class ClusterNodes {

    /** How often a node announces itself. */
    public static final Duration BEAT = Duration.ofSeconds(1);
    /** Adds ARGV[1] with a deadline ARGV[2] ms from now on Redis' clock, drops the expired, answers the members. */
    private static final String HEARTBEAT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('ZRANGE', KEYS[1], 0, -1)
            """;

    private final String key;
    private final String self;
    private final Duration ttl;
    private volatile Set<String> live = Set.of();

    /**
     * Creates the view of one node; nothing is written before the first {@link #beat}.
     *
     * @param key the sorted set's key
     * @param self this node's id
     * @param ttl how long a node counts as alive after its last heartbeat
     */
    ClusterNodes(String key, String self, Duration ttl) {
        this.key = Objects.requireNonNull(key, "key");
        this.self = Objects.requireNonNull(self, "self");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /**
     * Returns the sorted set's key, whose members with a deadline after Redis' clock are the live nodes.
     *
     * @return the key
     */
    String key() {
        return key;
    }

    /**
     * Returns the ids of the live nodes, this one included once it has announced itself.
     *
     * @return an immutable snapshot, empty before the first heartbeat was answered
     */
    public Set<String> live() {
        return live;
    }

    /**
     * Returns how many other nodes are alive.
     *
     * @return the live nodes but this one
     */
    public long others() {
        Set<String> now = live;
        return now.size() - (now.contains(self) ? 1 : 0);
    }

    /**
     * Returns this node's id.
     *
     * @return the id
     */
    public String self() {
        return self;
    }

    /**
     * Announces this node and refreshes {@link #live()} with the answer. A heartbeat that fails empties the view: a
     * node that cannot reach Redis does not know who is alive, and a view from before an outage would count nodes
     * that have not announced themselves to the Redis that came back.
     */
    CompletionStage<Set<String>> beat(RedisAsyncCommands<String, String> redis) {
        CompletionStage<List<String>> members;
        try {
            members = redis.eval(HEARTBEAT, ScriptOutputType.MULTI, new String[] {key}, self,
                    Long.toString(ttl.toMillis()));
        } catch (RuntimeException e) {
            live = Set.of();
            return CompletableFuture.failedFuture(e);
        }
        return members.handle((m, e) -> {
            if (e != null) {
                live = Set.of();
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            Set<String> now = Set.copyOf(m);
            live = now;
            return now;
        });
    }

    /** Forgets who is alive: the connection to Redis dropped, and the Redis it comes back to may have lost the set. */
    void forget() {
        live = Set.of();
    }

    /** Takes this node out of the set, for a clean stop. */
    CompletionStage<Long> leave(RedisAsyncCommands<String, String> redis) {
        live = Set.of();
        try {
            return redis.zrem(key, self);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
