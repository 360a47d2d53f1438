package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.observe.Observers;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.PushTransport;
import dev.wsrv.runtime.session.PushesLost;
import dev.wsrv.runtime.session.RemotePush;
import dev.wsrv.runtime.session.SessionHandoff;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The {@link PushTransport} on one Redis stream per cluster ({@code wsrv:push:stream} by default): every node appends
 * its pushes for users, groups, everyone and sessions of other nodes with {@code XADD MAXLEN ~}, reads the stream
 * after the last entry it read, and delivers what the others appended to its own sessions. A node cut off from Redis
 * reads on from the same place when it is back, so the pushes published meanwhile reach its sessions late, in order
 * and once, as long as the stream still holds them; when it does not, or when Redis lost its data, the node logs a
 * WARN once and fires {@link PushesLost}. Deployed only when {@code wsrv.redis.uri} is set.
 *
 * <p>Three connections: one to append (and for the node set's heartbeat), one for the stream reader's blocking reads
 * ({@link StreamReader}), and one subscribed to the pub/sub channel {@code wsrv:push}, on which services outside the
 * cluster may still {@code PUBLISH} (delivered when received, without catch-up). Lettuce
 * reconnects the publisher and the subscriber by itself; while Redis is unreachable, commands are rejected at once
 * (no queueing) and an append that gets no answer fails after the command timeout (2 s by default), so the pusher
 * reports the {@code remote} failure while local pushes go on. If Redis is down when the node starts, the node starts
 * anyway and keeps trying to connect. Every node announces itself in {@link ClusterNodes}; the number of other live
 * nodes is the {@code remoteNodes} of a push that was appended.
 */
@ApplicationScoped
public class RedisPushTransport implements PushTransport, SessionHandoff {

    private static final Logger LOG = Logger.getLogger(RedisPushTransport.class.getName());

    private final String nodeId = UUID.randomUUID().toString();

    @Inject
    LocalPusher pusher;

    @Inject
    WsrvConfig config;

    @Inject
    Event<PushesLost> pushesLost;

    @Inject
    Observers observers;
    /** Hears what the cluster does with pushes and the connection's state; {@code null} when nothing observes. */
    private WsrvObserver observer;

    private String channel;
    private String stream;
    private XAddArgs append;
    private Duration timeout;
    private ClientResources resources;
    private RedisClient client;
    private RedisClient readerClient;
    private StreamReader reader;
    private ClusterNodes nodes;
    private StreamHandoff handoff;
    private ClusterIntake intake;
    private Duration drain = Duration.ZERO;
    private ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile boolean subscribed;
    private final AtomicBoolean publisherLost = new AtomicBoolean();
    private final AtomicBoolean subscriberLost = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean startFailureLogged;

    @PostConstruct
    void start() {
        RedisSettings settings = RedisSettings.fromEnvironment();
        String uri = settings.uri();
        if (uri.isEmpty()) {
            throw new IllegalStateException("wsrv: RedisPushTransport is deployed but " + RedisCluster.URI_KEY
                    + " is not set; deploy it only with a URI (RedisCluster.beanClasses())");
        }
        observer = observers.get();
        channel = settings.channel();
        stream = channel + RedisCluster.STREAM_SUFFIX;
        append = new XAddArgs().maxlen(settings.streamMaxLen()).approximateTrimming();
        timeout = settings.timeout();
        Duration reconnectMax = settings.reconnectMax();
        boolean defaultBinary = config.pushFrameType() == WsrvConfig.FrameType.BINARY;

        RedisURI redisUri = RedisURI.create(uri);
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
        // the reader's blocking read must not time out, and the reader reconnects itself, from its own place
        readerClient = RedisClient.create(resources, redisUri);
        readerClient.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .timeoutOptions(TimeoutOptions.enabled(timeout.plus(StreamReader.BLOCK)))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        nodes = new ClusterNodes(channel + ":nodes", nodeId, settings.nodeTtl());
        connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsrv-redis-connect");
            t.setDaemon(true);
            return t;
        });
        handoff = new StreamHandoff(nodeId, settings.handoffTimeout(), pusher, this::appendEntry, nodes::live,
                connector);
        drain = settings.drain();
        intake = new ClusterIntake(nodeId, stream, defaultBinary, handoff, pusher, pushesLost, observer);
        reader = new StreamReader(readerClient, stream, channel + ":epoch", reconnectMax, intake);
        LOG.info(() -> "wsrv: Redis cluster transport, node " + nodeId + ", stream " + stream + " and channel "
                + channel + " on " + Lettuce.redacted(redisUri));
        reader.start();
        boolean connected = connect();
        connection(connected);
        if (connected) {
            // the node's place in the stream is taken before it reports itself started, so that nothing appended
            // after the start escapes it
            reader.awaitPlace(timeout);
        } else {
            // Redis is not there yet: the node runs alone and keeps trying; Lettuce takes over once connected
            connector.schedule(this::retryConnect, 500, TimeUnit.MILLISECONDS);
        }
        connector.scheduleAtFixedRate(this::beat, 0, ClusterNodes.BEAT.toMillis(), TimeUnit.MILLISECONDS);
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
     * Tells whether the subscription to the pub/sub channel is active right now.
     *
     * @return {@code true} when subscribed
     */
    public boolean subscribed() {
        return subscribed;
    }

    /**
     * Returns the cluster's live nodes as this node last saw them (refreshed every second).
     *
     * @return the node set
     */
    public ClusterNodes nodes() {
        return nodes;
    }

    /** The connection for commands of the module's other beans; {@code null} while not connected or once stopped. */
    StatefulRedisConnection<String, String> connection() {
        return closed ? null : publisher;
    }

    /** The client, for a connection of the module's own; {@code null} once stopped. */
    RedisClient client() {
        return closed ? null : client;
    }

    /**
     * Appends a push to the cluster's stream.
     *
     * @param push the push
     * @return the number of other nodes alive at this node's last heartbeat: each of them reads the push, also after
     *     a cut-off from Redis shorter than the stream's retention; fails when Redis did not take the push
     */
    @Override
    public CompletionStage<Long> publish(RemotePush push) {
        StatefulRedisConnection<String, String> c = publisher;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        String message = ClusterMessage.encode(nodeId, push);
        handoff.publishing(push);
        CompletionStage<Long> published = appendEntry(Map.of(ClusterMessage.FIELD, message)).handle((id, e) -> {
            if (e != null) {
                handoff.publishFailed(push);
                throw e instanceof java.util.concurrent.CompletionException ce ? ce
                        : new java.util.concurrent.CompletionException(e);
            }
            return nodes.others();
        });
        WsrvObserver o = observer;
        if (o != null) {
            published.whenComplete((others, e) -> o.cluster(e == null ? WsrvObserver.ClusterEvent.PUBLISHED
                    : WsrvObserver.ClusterEvent.DROPPED));
        }
        return published;
    }

    /** Appends an entry to the cluster's stream; fails when Redis did not take it. */
    private CompletionStage<String> appendEntry(Map<String, String> fields) {
        StatefulRedisConnection<String, String> c = publisher;
        if (c == null || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        try {
            return c.async().xadd(stream, append, fields);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Returns this node's name in resume tokens: its id.
     *
     * @return the id
     */
    @Override
    public String node() {
        return nodeId;
    }

    /**
     * Returns {@code wsrv.redis.drainMs}: the stream reader and the node's announcements go on until the runtime has
     * stopped, so the others' requests are answered meanwhile.
     *
     * @return the drain time
     */
    @Override
    public Duration drain() {
        return drain;
    }

    @Override
    public void serve(SessionHandoff.Host host) {
        handoff.serve(host);
    }

    @Override
    public CompletionStage<Void> take(SessionHandoff.Request request,
                                      java.util.function.Function<SessionHandoff.Arrival, String> install) {
        return handoff.take(request, install);
    }

    @PreDestroy
    void stop() {
        closed = true;
        if (reader != null) {
            reader.stop();
        }
        if (connector != null) {
            connector.shutdownNow();
        }
        StatefulRedisConnection<String, String> p = publisher;
        if (p != null && p.isOpen()) {
            try {
                // the others stop counting this node at once instead of after the heartbeat's lifetime
                nodes.leave(p.async()).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.fine(() -> "wsrv: leaving the node set: " + e);
            }
        }
        Lettuce.close(subscriber);
        Lettuce.close(publisher);
        subscriber = null;
        publisher = null;
        subscribed = false;
        for (RedisClient c : new RedisClient[] {readerClient, client}) {
            if (c != null) {
                try {
                    c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.fine(() -> "wsrv: Redis client shutdown: " + e);
                }
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
                LOG.warning(() -> "wsrv: cannot reach Redis (" + Lettuce.reason(e) + "); pushes stay on this node and "
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
            connection(true);
        } else {
            connector.schedule(this::retryConnect, 1, TimeUnit.SECONDS);
        }
    }

    /** Announces this node in the node set; skipped while the publisher is not connected. */
    private void beat() {
        StatefulRedisConnection<String, String> p = publisher;
        if (p == null || closed) {
            return;
        }
        try {
            nodes.beat(p.async()).whenComplete((live, e) -> {
                if (e != null) {
                    LOG.fine(() -> "wsrv: node set heartbeat failed: " + Lettuce.reason(e));
                } else if (publisherLost.compareAndSet(true, false)) {
                    LOG.info("wsrv: Redis publisher connection re-established");
                    connection(true);
                }
            });
        } catch (RuntimeException e) {
            LOG.fine(() -> "wsrv: node set heartbeat failed: " + Lettuce.reason(e));
        }
    }

    private final class Receiver extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String ch, String message) {
            if (channel.equals(ch)) {
                intake.message(message, channel);
            }
        }

        @Override
        public void subscribed(String ch, long count) {
            if (channel.equals(ch)) {
                subscribed = true;
                LOG.fine(() -> "wsrv: subscribed to " + ch);
                if (subscriberLost.compareAndSet(true, false)) {
                    LOG.info(() -> "wsrv: Redis subscriber connection re-established; subscribed to " + ch + " again");
                }
            }
        }

        @Override
        public void unsubscribed(String ch, long count) {
            if (channel.equals(ch)) {
                subscribed = false;
            }
        }
    }

    /**
     * Logs each outage of the publisher and of the subscriber once: the first disconnect is a WARN, and the connection
     * counts as back only when it works again (a heartbeat answered, the channel subscribed again), so that a
     * reconnect that is accepted and dropped at once, as by a proxy in front of a dead Redis, logs nothing more.
     */
    private final class StateLogger implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            LOG.fine(() -> "wsrv: a Redis connection is open to " + address);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == subscriber) {
                subscribed = false;
            }
            if (connection == publisher) {
                // a view from before the drop would count nodes that have not announced themselves since
                nodes.forget();
            }
            if (closed) {
                return;
            }
            if (connection == publisher && publisherLost.compareAndSet(false, true)) {
                LOG.warning("wsrv: Redis publisher connection lost; pushes to other nodes fail until it is back; "
                        + "reconnecting");
                connection(false);
            } else if (connection == subscriber && subscriberLost.compareAndSet(false, true)) {
                LOG.warning(() -> "wsrv: Redis subscriber connection lost; messages published on " + channel
                        + " are missed until it is back; reconnecting");
            }
        }
    }

    private void connection(boolean connected) {
        WsrvObserver o = observer;
        if (o != null) {
            o.clusterConnection(connected);
        }
    }
}
