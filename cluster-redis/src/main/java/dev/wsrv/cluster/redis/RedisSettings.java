package dev.wsrv.cluster.redis;

import dev.wsrv.Setting;
import dev.wsrv.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the Redis cluster module, declared like every wsrv setting (see {@link dev.wsrv.WsrvConfig}, which
 * says how to add one) and read with {@link Settings}. Immutable and thread-safe.
 *
 * @param uri the Redis URI; empty for a single node
 * @param channel the name of the cluster's Redis keys
 * @param streamMaxLen how many pushes the stream keeps
 * @param timeout how long a command may go without an answer
 * @param reconnectMax the longest pause between reconnection attempts
 * @param handoffTimeout how long a node waits for another to hand over a resumable session
 * @param nodeTtl how long a node counts as alive after its last heartbeat
 * @param drain how long a node that stops cleanly waits for the other nodes to take its resumable sessions
 */
public record RedisSettings(
        @Setting(key = RedisCluster.URI_KEY, defaultValue = "", description = "for example `redis://127.0.0.1:6379`;"
                + " none: a single node")
        String uri,
        @Setting(key = RedisCluster.CHANNEL_KEY, defaultValue = RedisCluster.DEFAULT_CHANNEL, description = "the"
                + " pub/sub channel, and the prefix of the keys `<channel>:stream`, `<channel>:nodes` and"
                + " `<channel>:epoch`; clusters that share one Redis need different ones")
        String channel,
        @Setting(key = RedisCluster.STREAM_MAX_LEN_KEY, defaultValue = "10000", description = "pushes the stream keeps"
                + " (at least; 1000 at the least): how much a node cut off from Redis can catch up on, and Redis"
                + " memory (see below)")
        long streamMaxLen,
        @Setting(key = RedisCluster.TIMEOUT_KEY, defaultValue = "2000", description = "a command without an answer"
                + " fails after it (a push's `remote` failure)")
        Duration timeout,
        @Setting(key = RedisCluster.RECONNECT_MAX_KEY, defaultValue = "2000", description = "the longest pause"
                + " between reconnection attempts, of the connections and of the stream reader (which starts at"
                + " 100 ms and doubles)")
        Duration reconnectMax,
        @Setting(key = RedisCluster.HANDOFF_TIMEOUT_KEY, defaultValue = "2000", description = "how long a node waits"
                + " for the node a resume token names to hand the session over; then the client gets a new session,"
                + " `recovered: false`, reason `node-lost`")
        Duration handoffTimeout,
        @Setting(key = RedisCluster.NODE_TTL_KEY, defaultValue = "5000", description = "how long a node counts as"
                + " alive after its last heartbeat (one a second; 2000 at the least): a node that dies drops out of"
                + " the other nodes' count, presence and directory after it")
        Duration nodeTtl,
        @Setting(key = RedisCluster.DRAIN_KEY, defaultValue = "5000", description = "how long a node that stops"
                + " cleanly keeps answering the other nodes for its resumable sessions, which it closes with 1001 so"
                + " that their clients resume elsewhere; it stops sooner once every one was taken; 0: they end at the"
                + " stop and their clients get `node-lost`")
        Duration drain) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the stream bound is below {@link RedisCluster#MIN_STREAM_MAX_LEN}, a
     *     timeout is not positive, the node lifetime is below {@link RedisCluster#MIN_NODE_TTL} or the drain is
     *     negative
     * @throws NullPointerException if a value is null
     */
    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(channel, "channel");
        if (streamMaxLen < RedisCluster.MIN_STREAM_MAX_LEN) {
            throw new IllegalArgumentException(RedisCluster.STREAM_MAX_LEN_KEY + " must be at least "
                    + RedisCluster.MIN_STREAM_MAX_LEN + ": " + streamMaxLen);
        }
        if (timeout.isNegative() || timeout.isZero() || reconnectMax.isNegative() || reconnectMax.isZero()
                || handoffTimeout.isNegative() || handoffTimeout.isZero()) {
            throw new IllegalArgumentException(RedisCluster.TIMEOUT_KEY + ", " + RedisCluster.RECONNECT_MAX_KEY
                    + " and " + RedisCluster.HANDOFF_TIMEOUT_KEY + " must be positive");
        }
        if (nodeTtl.compareTo(RedisCluster.MIN_NODE_TTL) < 0) {
            throw new IllegalArgumentException(RedisCluster.NODE_TTL_KEY + " must be at least "
                    + RedisCluster.MIN_NODE_TTL.toMillis() + " ms: " + nodeTtl.toMillis());
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException(RedisCluster.DRAIN_KEY + " must not be negative");
        }
    }

    /**
     * Reads the settings from MicroProfile Config, system properties and environment variables.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be read or is out of range
     */
    public static RedisSettings fromEnvironment() {
        return Settings.fromEnvironment(RedisSettings.class);
    }
}
