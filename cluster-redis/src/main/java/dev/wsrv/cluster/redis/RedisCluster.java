package dev.wsrv.cluster.redis;

/**
 * The keys of the Redis cluster module's settings (declared in {@link RedisSettings}) and a helper for embedded
 * servers, which do not load CDI extensions.
 *
 * <pre>{@code
 * EmbeddedServer.builder().beanClasses(MyHandlers.class).beanClasses(RedisCluster.beanClasses()).start();
 * }</pre>
 */
public final class RedisCluster {

    /** The Redis URI, for example {@code redis://127.0.0.1:6379}; env {@code WSRV_REDIS_URI}. Unset: one node. */
    public static final String URI_KEY = "wsrv.redis.uri";
    /**
     * The name of the cluster's Redis keys; env {@code WSRV_REDIS_CHANNEL}. Nodes append pushes to the stream
     * {@code <channel>:stream}, keep their node set in {@code <channel>:nodes} and the data epoch in
     * {@code <channel>:epoch}, and also listen to the pub/sub channel {@code <channel>} itself for publishers outside
     * the cluster. Clusters that share one Redis need different channels.
     */
    public static final String CHANNEL_KEY = "wsrv.redis.channel";
    /** The channel when none is configured. */
    public static final String DEFAULT_CHANNEL = "wsrv:push";
    /** The suffix of the stream's key: {@code wsrv:push:stream} by default. */
    public static final String STREAM_SUFFIX = ":stream";
    /**
     * How many pushes the stream keeps (about: Redis trims whole blocks, so it keeps at least so many); env
     * {@code WSRV_REDIS_STREAM_MAX_LEN}. A node cut off from Redis catches up on what is still kept.
     */
    public static final String STREAM_MAX_LEN_KEY = "wsrv.redis.streamMaxLen";
    /** The smallest length bound allowed: a node reads up to 512 entries at a time and must find a loss. */
    public static final long MIN_STREAM_MAX_LEN = 1_000;
    /** How long a publish may take before it fails, in ms; env {@code WSRV_REDIS_TIMEOUT_MS}. */
    public static final String TIMEOUT_KEY = "wsrv.redis.timeoutMs";
    /**
     * The longest pause between reconnection attempts, in ms, of the connections and of the stream reader; env
     * {@code WSRV_REDIS_RECONNECT_MAX_MS}.
     */
    public static final String RECONNECT_MAX_KEY = "wsrv.redis.reconnectMaxMs";

    /**
     * How long a node waits for another to hand over a resumable session, in ms; env
     * {@code WSRV_REDIS_HANDOFF_TIMEOUT_MS}. Past it the client gets a new session with reason {@code node-lost}.
     */
    public static final String HANDOFF_TIMEOUT_KEY = "wsrv.redis.handoffTimeoutMs";

    /**
     * How long a node counts as alive after its last heartbeat, in ms; env {@code WSRV_REDIS_NODE_TTL_MS}. A node
     * that dies drops out of the others' node count, presence and session directory after it.
     */
    public static final String NODE_TTL_KEY = "wsrv.redis.nodeTtlMs";
    /** The shortest node lifetime allowed: two heartbeats. */
    public static final java.time.Duration MIN_NODE_TTL = java.time.Duration.ofSeconds(2);

    /**
     * How long a node that stops cleanly keeps answering the other nodes' requests for its resumable sessions, in ms;
     * env {@code WSRV_REDIS_DRAIN_MS}; 0 ends them at the stop.
     */
    public static final String DRAIN_KEY = "wsrv.redis.drainMs";

    private RedisCluster() {
    }

    /**
     * Tells whether a Redis URI is configured.
     *
     * @return {@code true} when {@code wsrv.redis.uri} is set
     */
    public static boolean configured() {
        String uri = dev.wsrv.Settings.lookup(URI_KEY);
        return uri != null && !uri.isBlank();
    }

    /**
     * Returns the bean classes to deploy in an embedded server: the transport, the presence and the session directory
     * when a Redis URI is configured, nothing otherwise.
     *
     * @return the classes
     */
    public static Class<?>[] beanClasses() {
        return configured() ? new Class<?>[] {RedisPushTransport.class, RedisPresence.class,
            RedisSessionDirectory.class} : new Class<?>[0];
    }
}
