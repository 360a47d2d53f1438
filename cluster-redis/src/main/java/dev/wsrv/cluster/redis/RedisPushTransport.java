package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.WsrvConfig;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.PushTransport;
import dev.wsrv.runtime.session.RemotePush;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link PushTransport} on Redis pub/sub (Lettuce): every node publishes its pushes for users, groups,
 * everyone and sessions of other nodes on one channel ({@code wsrv:push} by default) and delivers what the
 * others publish to its own sessions. Deployed only when {@code wsrv.redis.uri} is set.
 *
 * <p>Two connections: one subscribed to the channel, one for {@code PUBLISH}. Lettuce reconnects both and
 * subscribes again by itself; while Redis is unreachable, commands are rejected at once (no queueing) and a
 * publish that gets no answer fails after the command timeout (2 s by default), so the pusher reports the
 * {@code remote} failure while local pushes go on. If Redis is down when the node starts, the node starts anyway
 * and keeps trying to connect.
 */
@ApplicationScoped
public class RedisPushTransport implements PushTransport {

    private static final Logger LOG = Logger.getLogger(RedisPushTransport.class.getName());

    private final String nodeId = UUID.randomUUID().toString();

    @Inject
    LocalPusher pusher;

    @Inject
    WsrvConfig config;

    private String channel;
    private boolean defaultBinary;
    private Duration timeout;
    private ClientResources resources;
    private RedisClient client;
    private ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile boolean startFailureLogged;

    @PostConstruct
    void start() {
        String uri = WsrvConfig.setting(RedisCluster.URI_KEY);
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("wsrv: RedisPushTransport is deployed but " + RedisCluster.URI_KEY
                    + " is not set; deploy it only with a URI (RedisCluster.beanClasses())");
        }
        String ch = WsrvConfig.setting(RedisCluster.CHANNEL_KEY);
        channel = ch == null || ch.isBlank() ? RedisCluster.DEFAULT_CHANNEL : ch.trim();
        timeout = Duration.ofMillis(number(RedisCluster.TIMEOUT_KEY, 2000));
        Duration reconnectMax = Duration.ofMillis(number(RedisCluster.RECONNECT_MAX_KEY, 2000));
        defaultBinary = config.pushFrameType() == WsrvConfig.FrameType.BINARY;

        RedisURI redisUri = RedisURI.create(uri.trim());
        redisUri.setTimeout(timeout);
        resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), reconnectMax, 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        client.addListener(new StateLogger());
        connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsrv-redis-connect");
            t.setDaemon(true);
            return t;
        });
        LOG.info(() -> "wsrv: Redis cluster transport, node " + nodeId + ", channel " + channel + " on "
                + redacted(redisUri));
        if (!connect()) {
            // Redis is not there yet: the node runs alone and keeps trying; Lettuce takes over once connected
            connector.schedule(this::retryConnect, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts the transport with the application, so that the node subscribes before anyone pushes. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        LOG.fine(() -> "wsrv: Redis transport started, node " + nodeId);
    }

    /**
     * Returns this node's id, carried as {@code origin} in its messages.
     *
     * @return the id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Tells whether the subscription to the channel is active right now.
     *
     * @return {@code true} when subscribed
     */
    public boolean subscribed() {
        return subscribed;
    }

    @Override
    public CompletionStage<Long> publish(RemotePush push) {
        StatefulRedisConnection<String, String> c = publisher;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        String message = ClusterMessage.encode(nodeId, push);
        try {
            return c.async().publish(channel, message)
                    // the count includes this node's own subscription, which ignores the message
                    .thenApply(n -> Math.max(0L, n - (subscribed ? 1 : 0)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @PreDestroy
    void stop() {
        closed = true;
        if (connector != null) {
            connector.shutdownNow();
        }
        close(subscriber);
        close(publisher);
        subscriber = null;
        publisher = null;
        subscribed = false;
        if (client != null) {
            try {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.fine(() -> "wsrv: Redis client shutdown: " + e);
            }
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private synchronized boolean connect() {
        if (closed) {
            return true;
        }
        try {
            if (subscriber == null) {
                StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                sub.addListener(new Receiver());
                sub.sync().subscribe(channel);
                subscriber = sub;
            }
            if (publisher == null) {
                publisher = client.connect();
            }
            return true;
        } catch (RuntimeException e) {
            if (!startFailureLogged) {
                startFailureLogged = true;
                LOG.warning(() -> "wsrv: cannot reach Redis (" + reason(e) + "); pushes stay on this node and "
                        + "fail for the others until it is reachable; retrying");
            }
            return false;
        }
    }

    private void retryConnect() {
        if (closed) {
            return;
        }
        if (connect()) {
            LOG.info(() -> "wsrv: connected to Redis, subscribed to " + channel);
        } else {
            connector.schedule(this::retryConnect, 1, TimeUnit.SECONDS);
        }
    }

    private void receive(String message) {
        RemotePush push;
        try {
            push = ClusterMessage.decode(message, nodeId, defaultBinary);
        } catch (ClusterMessage.BadMessage e) {
            // the reason names the bad field; the message itself may carry application data and stays out of the log
            LOG.warning(() -> "wsrv: dropped a message of " + message.length() + " chars on " + channel + ": "
                    + LogText.safe(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: dropped a message of " + message.length() + " chars on " + channel + ": "
                    + LogText.safe(reason(e)));
            return;
        }
        if (push == null) {
            return; // this node's own publication: delivered locally already
        }
        try {
            pusher.deliverLocal(push).whenComplete((result, error) -> {
                if (error != null) {
                    LOG.warning(() -> "wsrv: delivering a push from Redis failed: " + reason(error));
                } else if (LOG.isLoggable(Level.FINE)) {
                    LOG.fine("wsrv: push from Redis to " + push.target() + " " + LogText.safe(push.key())
                            + " delivered to " + result.delivered().size() + " session(s)");
                }
            });
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: delivering a push from Redis failed: " + reason(e));
        }
    }

    private final class Receiver extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String ch, String message) {
            if (channel.equals(ch)) {
                receive(message);
            }
        }

        @Override
        public void subscribed(String ch, long count) {
            if (channel.equals(ch)) {
                subscribed = true;
                LOG.fine(() -> "wsrv: subscribed to " + ch);
            }
        }

        @Override
        public void unsubscribed(String ch, long count) {
            if (channel.equals(ch)) {
                subscribed = false;
            }
        }
    }

    private final class StateLogger implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (!closed && (connection == subscriber || connection == publisher)) {
                // initial connections are reported by connect(); these are Lettuce's reconnections
                LOG.info(() -> "wsrv: Redis " + role(connection) + " connection re-established to " + address
                        + (connection == subscriber ? "; resubscribing to " + channel : ""));
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == subscriber) {
                subscribed = false;
            }
            if (!closed && (connection == subscriber || connection == publisher)) {
                LOG.warning(() -> "wsrv: Redis " + role(connection) + " connection lost; pushes to other nodes "
                        + "fail until it is back; reconnecting");
            }
        }

        private String role(RedisChannelHandler<?, ?> connection) {
            return connection == subscriber ? "subscriber" : "publisher";
        }
    }

    private static long number(String key, long dflt) {
        String v = WsrvConfig.setting(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 1) {
                throw new IllegalArgumentException(key + " must be positive: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
    }

    private static String redacted(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private static void close(StatefulRedisConnection<String, String> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.fine(() -> "wsrv: closing a Redis connection: " + e);
            }
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
