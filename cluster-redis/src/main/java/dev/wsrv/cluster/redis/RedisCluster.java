package dev.wsrv.cluster.redis;

/**
 * Settings of the Redis cluster module and a helper for embedded servers, which do not load CDI extensions.
 *
 * <pre>{@code
 * EmbeddedServer.builder().beanClasses(MyHandlers.class).beanClasses(RedisCluster.beanClasses()).start();
 * }</pre>
 */
public final class RedisCluster {

    /** The Redis URI, for example {@code redis://127.0.0.1:6379}; env {@code WSRV_REDIS_URI}. Unset: one node. */
    public static final String URI_KEY = "wsrv.redis.uri";
    /** The pub/sub channel; env {@code WSRV_REDIS_CHANNEL}. */
    public static final String CHANNEL_KEY = "wsrv.redis.channel";
    /** The channel when none is configured. */
    public static final String DEFAULT_CHANNEL = "wsrv:push";
    /** How long a publish may take before it fails, in ms; env {@code WSRV_REDIS_TIMEOUT_MS}. */
    public static final String TIMEOUT_KEY = "wsrv.redis.timeoutMs";
    /** The longest pause between reconnection attempts, in ms; env {@code WSRV_REDIS_RECONNECT_MAX_MS}. */
    public static final String RECONNECT_MAX_KEY = "wsrv.redis.reconnectMaxMs";

    private RedisCluster() {
    }

    /**
     * Tells whether a Redis URI is configured.
     *
     * @return {@code true} when {@code wsrv.redis.uri} is set
     */
    public static boolean configured() {
        String uri = dev.wsrv.runtime.WsrvConfig.setting(URI_KEY);
        return uri != null && !uri.isBlank();
    }

    /**
     * Returns the bean classes to deploy in an embedded server: the transport when a Redis URI is configured,
     * nothing otherwise.
     *
     * @return the classes
     */
    public static Class<?>[] beanClasses() {
        return configured() ? new Class<?>[] {RedisPushTransport.class} : new Class<?>[0];
    }
}
