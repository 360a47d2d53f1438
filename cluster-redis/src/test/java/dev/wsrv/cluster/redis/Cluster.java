package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * A real redis-server, three cluster nodes (the first also serving the operator console) and one node without a Redis
 * URI, each its own process, and the test clients' helpers: connect to a node, call its commands, and read what a
 * client received up to a fence. Each cluster node reaches Redis through a {@link FaultProxy} of its own, so that a
 * test can cut one node off.
 */
final class Cluster implements AutoCloseable {

    static final int NODES = 3;
    private static final Duration NODE_START = Duration.ofSeconds(40);
    private static final AtomicInteger SEQ = new AtomicInteger();

    final int redisPort = Proc.freePort();
    private Proc redis;
    private final FaultProxy[] proxies = new FaultProxy[NODES];
    private final Proc[] nodes = new Proc[NODES];
    private final int[] ports = new int[NODES];
    private final URI[] uris = new URI[NODES];
    private Proc single;
    private URI singleUri;
    /** The clients of the node without Redis, which no cluster message reaches. */
    private final Set<TestClient> alone = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Starts Redis and the nodes; {@link #close()} stops whatever started, also after a failed start. */
    void start() throws Exception {
        start(true);
    }

    /**
     * Starts Redis and the cluster nodes, and the node without Redis when asked.
     *
     * @param withSingle whether to start the node without Redis too
     */
    void start(boolean withSingle) throws Exception {
        redisUp();
        for (int i = 0; i < NODES; i++) {
            ports[i] = Proc.freePort();
            proxies[i] = FaultProxy.to(new InetSocketAddress("127.0.0.1", redisPort));
            nodes[i] = startNode(i);
        }
        single = withSingle ? Proc.node("single", Proc.freePort(), null) : null;
        for (int i = 0; i < NODES; i++) {
            uris[i] = ready(nodes[i]);
        }
        singleUri = withSingle ? ready(single) : null;
        awaitNodeSet();
    }

    /** Starts cluster node {@code i}; the first one also serves the operator console. */
    private Proc startNode(int i) {
        return Proc.node("node" + (i + 1), ports[i], redisUri(i), i == 0);
    }

    /** The address of the operator console's {@code path} on the first cluster node, the one that serves it. */
    URI console(String path) {
        return URI.create("http://127.0.0.1:" + ports[0] + "/console/" + path);
    }

    /** The WebSocket URI of cluster node {@code i}. */
    URI uri(int i) {
        return uris[i];
    }

    /** The socket address of cluster node {@code i}, for a proxy that stands for the load balancer. */
    InetSocketAddress address(int i) {
        return new InetSocketAddress("127.0.0.1", ports[i]);
    }

    /** Node {@code i}'s Redis URI: its proxy. */
    private String redisUri(int i) {
        return "redis://127.0.0.1:" + proxies[i].address().getPort();
    }

    /** The proxy between cluster node {@code i} and Redis. */
    FaultProxy proxy(int i) {
        return proxies[i];
    }

    /** Waits until every node counts every node alive, so that each push's {@code remoteNodes} counts the others. */
    void awaitNodeSet() throws Exception {
        for (int i = 0; i < NODES; i++) {
            try (TestClient c = on(i)) {
                Awaitility.await("node" + (i + 1) + " sees " + NODES + " live nodes").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> ok(c.request("nodes", seq(), null)).getInt("live") == NODES);
            }
        }
    }

    private static URI ready(Proc node) throws Exception {
        return URI.create(node.awaitReady(NODE_START).substring("READY ".length()).trim());
    }

    /** The process of cluster node {@code i}. */
    Proc node(int i) {
        return nodes[i];
    }

    void redisDown() {
        redis.close();
    }

    void redisUp() throws Exception {
        redis = Proc.redis(redisPort);
        redis.awaitReady(Duration.ofSeconds(15));
    }

    /** Stops cluster nodes (SIGTERM) and starts new processes on their ports. */
    void restart(int... which) throws Exception {
        for (int i : which) {
            nodes[i].close();
        }
        for (int i : which) {
            nodes[i] = startNode(i);
        }
        for (int i : which) {
            int n = i;
            // a port that the stopped process still holds fails the start: try again until it is free
            Awaitility.await("node" + (i + 1) + " started again on port " + ports[i]).atMost(NODE_START)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        try {
                            return ready(nodes[n]) != null;
                        } catch (Exception e) {
                            nodes[n].close();
                            nodes[n] = startNode(n);
                            throw e;
                        }
                    });
        }
    }

    /** Publishes on the cluster's pub/sub channel with redis-cli; returns how many subscribers received it. */
    long publish(String message) throws Exception {
        return Long.parseLong(Proc.publish(redisPort, RedisCluster.DEFAULT_CHANNEL, message));
    }

    /** Appends a message to the cluster's stream with redis-cli, as a service outside the cluster may. */
    void append(String message) throws Exception {
        String id = Proc.redisCli(redisPort, "XADD", RedisCluster.DEFAULT_CHANNEL + RedisCluster.STREAM_SUFFIX,
                "MAXLEN", "~", "10000", "*", "m", message);
        assertThat(id).as("the id of the appended entry").matches("\\d+-\\d+");
    }

    /** A client of cluster node {@code node}, or of the node without Redis for {@code -1}. */
    TestClient on(int node) throws Exception {
        TestClient c = TestClient.connect(node < 0 ? singleUri : uris[node]);
        if (node < 0) {
            alone.add(c);
        }
        return c;
    }

    // ---------------------------------------------------------------- the node's commands

    static String id(TestClient c) throws Exception {
        return ok(c.request("whoami", seq(), null)).getString("id");
    }

    static void login(TestClient c, String user) throws Exception {
        ok(c.request("login", seq(), "{\"user\":\"" + user + "\"}"));
    }

    static void join(TestClient c, String group) throws Exception {
        ok(c.request("join", seq(), "{\"group\":\"" + group + "\"}"));
    }

    /** Pushes through the node's {@code Pusher}; answers the {@code PushResult}. */
    static JsonObject pushto(TestClient c, String kind, String key, String cmd, String dataJson) throws Exception {
        return ok(c.request("pushto", seq(), "{\"kind\":\"" + kind + "\",\"key\":\"" + key + "\",\"cmd\":\"" + cmd
                + "\",\"data\":" + dataJson + "}"));
    }

    static JsonObject ok(JsonObject reply) {
        assertThat(reply.getInt("status")).as("reply %s", reply).isZero();
        return reply.getJsonObject("data");
    }

    static String seq() {
        return "s" + SEQ.incrementAndGet();
    }

    /** A command name no other push uses. */
    static String cmd() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<String> ids(JsonObject result) {
        return result.getJsonArray("delivered").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .toList();
    }

    // ---------------------------------------------------------------- what the clients received

    /** Each of these gets one push with the command and the data. */
    static void expectOne(String cmd, String dataJson, TestClient... targets) throws Exception {
        for (TestClient t : targets) {
            JsonObject p = t.awaitPush(cmd);
            assertThat(p.getInt("status")).isZero();
            assertThat(p.get("data").toString()).isEqualTo(dataJson);
        }
    }

    /**
     * Asserts that none of the clients has received anything more. A fence appended to the stream comes after every
     * push appended before it, on every node, so what a cluster client received before its fence is all that was on
     * its way; a client of the node without Redis gets the reply to a request after every earlier push.
     */
    void expectNothingMore(TestClient... clients) throws Exception {
        String fence = fence();
        for (TestClient c : clients) {
            assertThat(alone.contains(c) ? untilReply(c) : until(c, fence)).isEmpty();
        }
    }

    /** Appends a fence push to everyone to the stream and returns its command. */
    String fence() throws Exception {
        String fence = "fence-" + seq();
        append("{\"target\":\"all\",\"cmd\":\"" + fence + "\"}");
        return fence;
    }

    /** The messages a client received before the fence push, which is taken too. */
    static List<JsonObject> until(TestClient c, String fence) throws Exception {
        List<JsonObject> before = new ArrayList<>();
        for (JsonObject m = c.nextJson(); !fence.equals(m.getString("cmd", null)); m = c.nextJson()) {
            before.add(m);
        }
        return before;
    }

    /** The messages a client received before the reply to a request it sends now. */
    static List<JsonObject> untilReply(TestClient c) throws Exception {
        id(c);
        List<JsonObject> before = new ArrayList<>();
        for (TestClient.Message m : c.drain(Duration.ZERO)) {
            before.add(m.json());
        }
        return before;
    }

    @Override
    public void close() {
        // together: a node that stops cleanly may wait for other nodes to take its resumable sessions
        for (Proc n : nodes) {
            if (n != null) {
                n.stop();
            }
        }
        for (Proc n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        for (FaultProxy p : proxies) {
            if (p != null) {
                p.close();
            }
        }
        if (single != null) {
            single.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
