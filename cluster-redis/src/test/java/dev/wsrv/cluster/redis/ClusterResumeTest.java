package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.client.ReconnectOptions;
import dev.wsrv.client.SessionEvent;
import dev.wsrv.client.WsrvClient;
import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Resumable sessions in a cluster of three node processes and a real redis-server, with the Java client behind a
 * fault proxy that stands for the load balancer: after each cut the client lands on another node, which takes the
 * session from the node that had it, with every push addressed to it meanwhile, once and in order. A killed owner
 * and a Redis that lost its data give a new session with the reason, never a wrong one or a hang.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CUTS = 5;
    private static final int PER_STREAM = 100;

    private static Cluster cluster;

    private FaultProxy balancer;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<SessionEvent> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger hookRuns = new AtomicInteger();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new Cluster();
        cluster.start(false);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
        if (balancer != null) {
            balancer.close();
        }
    }

    /** A client of the cluster through the balancer, which sends it to node {@code first}. */
    private WsrvClient client(int first) throws Exception {
        balancer = FaultProxy.to(cluster.address(first));
        WsrvClient c = WsrvClient.builder(balancer.via(cluster.uri(first)))
                .heartbeatInterval(Duration.ofMillis(200))
                .reconnect(ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(20))
                        .withMaxDelay(Duration.ofMillis(100)))
                .resume(true)
                .onReconnect(x -> hookRuns.incrementAndGet())
                .onSession(sessions::add)
                .connect();
        open.add(c);
        return c;
    }

    private TestClient node(int i) throws Exception {
        TestClient t = cluster.on(i);
        open.add(t);
        return t;
    }

    private SessionEvent awaitSession(int count) {
        await("session event " + count).atMost(WAIT).until(() -> sessions.size() >= count);
        assertThat(sessions).hasSize(count);
        return sessions.get(count - 1);
    }

    /** How often each session event fired for the session on the node. */
    private static JsonObject events(TestClient node, String id) throws Exception {
        return Cluster.ok(node.request("events", Cluster.seq(), "{\"id\":\"" + id + "\"}"));
    }

    private static String id(WsrvClient c) {
        return c.call("whoami", null).asJsonObject().getString("id");
    }

    @Test
    @Order(1)
    void pushesToAUserAGroupAndTheSessionArriveOnceInOrderWhileTheSessionMovesFromNodeToNode() throws Exception {
        WsrvClient c = client(0);
        List<String> received = new CopyOnWriteArrayList<>();
        c.onPush("n", p -> received.add(p.data().asJsonObject().getString("s") + p.data().asJsonObject().getInt("i")));
        c.call("login", Map.of("user", "ann"));
        c.call("join", Map.of("group", "room"));
        c.call("note", Map.of("text", "hello"));
        String id = id(c);
        assertThat(awaitSession(1)).isEqualTo(new SessionEvent(id, false, "new", 0));
        TestClient[] pushers = {node(0), node(1), node(2)};
        // a test client sends one request at a time: the pushing thread has its own
        TestClient[] watchers = {node(0), node(1), node(2)};

        long seed = System.nanoTime();
        System.out.println("ClusterResumeTest seed " + seed);
        Random random = new Random(seed);
        CountDownLatch started = new CountDownLatch(1);
        // each push comes from another node than the one before, the owner's own included
        CompletableFuture<Void> pushing = pushNumbered(pushers, "ann", "room", id, started);
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        int at = 0;
        for (int cut = 1; cut <= CUTS; cut++) {
            int next = (at + 1 + random.nextInt(2)) % 3;
            balancer.down();
            balancer.retarget(cluster.address(next));
            timer.schedule(balancer::resume, 50 + random.nextInt(450), TimeUnit.MILLISECONDS);
            SessionEvent e = awaitSession(cut + 1);
            assertThat(e.recovered()).as("cut %d: %s", cut, e).isTrue();
            assertThat(e.sessionId()).isEqualTo(id);
            int from = at;
            await("node" + (next + 1) + " has the session resumed").atMost(WAIT)
                    .until(() -> events(watchers[next], id).getInt("resumed", 0) >= 1);
            assertThat(events(watchers[from], id).getInt("closed", 0)).as("closed on the node it left").isZero();
            at = next;
        }
        expectEveryNumber(pushing, received);
        assertThat(hookRuns).hasValue(0);
        JsonObject state = c.call("state", null).asJsonObject();
        assertThat(state.getString("user")).isEqualTo("ann");
        assertThat(state.getJsonObject("note").getString("text")).isEqualTo("hello");
        assertThat(id(c)).isEqualTo(id);
        // live pushes after the moves, to the user and the group, still reach it once
        Cluster.pushto(pushers[(at + 1) % 3], "group", "room", "n", "{\"s\":\"g\",\"i\":" + (PER_STREAM + 1) + "}");
        await("a live push").atMost(WAIT).until(() -> received.size() == 3 * PER_STREAM + 1);
        assertThat(received.get(3 * PER_STREAM)).isEqualTo("g" + (PER_STREAM + 1));
    }

    /**
     * Pushes {@code n} with {@code {"s":"u|g|s","i":i}} for i from 1 to {@link #PER_STREAM} to the user, the group and
     * the session, each from the next of the clients of the nodes, and counts {@code started} down after the fifth.
     */
    private static CompletableFuture<Void> pushNumbered(TestClient[] pushers, String user, String group, String id,
                                                        CountDownLatch started) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (int i = 1; i <= PER_STREAM; i++) {
                    String[][] three = {{"user", user, "u"}, {"group", group, "g"}, {"session", id, "s"}};
                    for (int k = 0; k < three.length; k++) {
                        JsonObject r = Cluster.pushto(pushers[(i + k) % pushers.length], three[k][0], three[k][1],
                                "n", "{\"s\":\"" + three[k][2] + "\",\"i\":" + i + "}");
                        assertThat(r.getJsonArray("failures")).as("push %s%d: %s", three[k][2], i, r).isEmpty();
                    }
                    if (i == 5) {
                        started.countDown();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits for the pushes of {@link #pushNumbered} and checks that each stream arrived whole, once and in order. */
    private static void expectEveryNumber(CompletableFuture<Void> pushing, List<String> received) throws Exception {
        pushing.get(90, TimeUnit.SECONDS);
        await("every push").atMost(WAIT).until(() -> received.size() >= 3 * PER_STREAM);
        for (String stream : List.of("u", "g", "s")) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= PER_STREAM; i++) {
                expected.add(stream + i);
            }
            assertThat(received.stream().filter(r -> r.startsWith(stream)).toList()).as(stream).isEqualTo(expected);
        }
        assertThat(received).hasSize(3 * PER_STREAM);
    }

    /** Cuts the client off and waits until node {@code owner} has detached its session. */
    private void dropUntilDetached(int owner, String id) throws Exception {
        TestClient watcher = node(owner);
        balancer.down();
        await("node" + (owner + 1) + " detaches the session").atMost(WAIT)
                .until(() -> events(watcher, id).getInt("detached", 0) == 1);
    }

    /** Lets the client back, to node {@code to}, and checks that it got a new session for the reason given. */
    private void resumeNotRecovered(int to, String id, String reason) {
        balancer.retarget(cluster.address(to));
        balancer.resume();
        SessionEvent e = awaitSession(2);
        assertThat(e.recovered()).as("%s", e).isFalse();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.sessionId()).isNotEqualTo(id);
        await("the reconnect hook").atMost(WAIT).until(() -> hookRuns.get() == 1);
    }

    @Test
    @Order(4)
    void afterRedisLostItsDataASessionThatWaitedIsNotRecoveredButToldPushesLost() throws Exception {
        WsrvClient c = client(1);
        c.call("login", Map.of("user", "bob"));
        String id = id(c);
        dropUntilDetached(1, id);
        TestClient pusher = node(2);
        cluster.redisDown();
        // published while Redis is down: the publisher learns that the other nodes did not get it
        JsonObject r = Cluster.pushto(pusher, "user", "bob", "n", "{\"i\":1}");
        assertThat(r.getJsonArray("failures").getJsonObject(0).getString("id")).isEqualTo("remote");
        cluster.redisUp();
        TestClient watcher = node(1);
        // the node that held the session finds that Redis lost its data and ends the session's recovery
        await("node2 ends the session").atMost(WAIT).until(() -> events(watcher, id).getInt("closed", 0) == 1);
        cluster.awaitNodeSet();
        resumeNotRecovered(2, id, "pushes-lost");
        assertThat(id(c)).isEqualTo(sessions.get(1).sessionId());
    }

    @Test
    @Order(5)
    void whenTheOwnerWasKilledTheResumeElsewhereIsToldNodeLost() throws Exception {
        WsrvClient c = client(0);
        c.call("login", Map.of("user", "cid"));
        String id = id(c);
        dropUntilDetached(0, id);
        cluster.node(0).kill();
        resumeNotRecovered(1, id, "node-lost");
        // a new session on the node the client reached, which pushes reach as usual
        String now = id(c);
        List<String> got = new CopyOnWriteArrayList<>();
        c.onPush("k", p -> got.add(p.data().toString()));
        c.call("login", Map.of("user", "cid"));
        Cluster.pushto(node(2), "user", "cid", "k", "{\"i\":1}");
        await("a push to the new session").atMost(WAIT).until(() -> got.size() == 1);
        assertThat(now).isNotEqualTo(id);
    }

    @Test
    @Order(6)
    void aCleanlyStoppedOwnerHandsItsSessionOverWithEveryPush() throws Exception {
        WsrvClient c = client(1);
        List<String> received = new CopyOnWriteArrayList<>();
        c.onPush("n", p -> received.add(p.data().asJsonObject().getString("s") + p.data().asJsonObject().getInt("i")));
        c.call("login", Map.of("user", "eve"));
        c.call("join", Map.of("group", "hall"));
        String id = id(c);
        assertThat(awaitSession(1)).isEqualTo(new SessionEvent(id, false, "new", 0));
        // the owner stops: the pushes come from the node that stays
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> pushing = pushNumbered(new TestClient[] {node(2)}, "eve", "hall", id, started);
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // a rolling redeploy: the owner stops (SIGTERM) and closes the connection with 1001; the client's first
        // reconnects find no node, so the owner waits for it with the session; then the load balancer sends it to the
        // node that stays
        balancer.retarget(new java.net.InetSocketAddress("127.0.0.1", Proc.freePort()));
        long accepted = balancer.accepted();
        long t0 = System.nanoTime();
        CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
            cluster.node(1).close();
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        });
        await("two reconnects that find no node").atMost(WAIT).until(() -> balancer.accepted() >= accepted + 2);
        balancer.retarget(cluster.address(2));
        SessionEvent e = awaitSession(2);
        assertThat(e).as("the resume after the owner's clean stop").isEqualTo(new SessionEvent(id, true, "",
                e.replayed()));
        expectEveryNumber(pushing, received);
        assertThat(hookRuns).hasValue(0);
        assertThat(c.call("state", null).asJsonObject().getString("user")).isEqualTo("eve");
        assertThat(events(node(2), id).getInt("resumed", 0)).isEqualTo(1);
        System.out.println("ClusterResumeTest: the owner stopped in " + stopped.get(30, TimeUnit.SECONDS) + " ms");
    }

    @Test
    @Order(2)
    void pushesOfPublishersOutsideTheClusterAreNumberedAndKeptForTheResume() throws Exception {
        balancer = FaultProxy.to(cluster.address(1));
        TestClient t = TestClient.connect(URI.create(balancer.via(cluster.uri(1)) + "?wsrv.resume=new"));
        open.add(t);
        JsonObject hello = t.nextJson().getJsonObject("data");
        String id = hello.getString("id");
        Cluster.login(t, "dan");
        // the documented short form in the stream and on the channel, and a whole envelope in another key order
        cluster.append("{\"target\":\"user\",\"key\":\"dan\",\"cmd\":\"x\",\"data\":{\"i\":1}}");
        cluster.append("{\"target\":\"user\",\"key\":\"dan\",\"text\":"
                + "\"{\\\"data\\\":{\\\"i\\\":2},\\\"msg\\\":\\\"ok\\\",\\\"status\\\":0,\\\"cmd\\\":\\\"x\\\"}\"}");
        List<String> seqnos = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            if (i == 3) {
                // after the stream's two: the channel's order among the stream's pushes is not defined
                assertThat(cluster.publish("{\"target\":\"user\",\"key\":\"dan\",\"cmd\":\"x\",\"data\":{\"i\":3}}"))
                        .isEqualTo(Cluster.NODES);
            }
            JsonObject p = t.awaitPush("x");
            assertThat(p.getJsonObject("data").getInt("i")).isEqualTo(i);
            seqnos.add(p.getString("seqno"));
        }
        String prefix = seqnos.get(0).substring(0, seqnos.get(0).indexOf('-'));
        assertThat(seqnos).containsExactly(prefix + "-1", prefix + "-2", prefix + "-3");

        TestClient watcher = node(1);
        balancer.cut();
        await("node2 detaches the session").atMost(WAIT).until(() -> events(watcher, id).getInt("detached", 0) == 1);
        cluster.append("{\"target\":\"user\",\"key\":\"dan\",\"cmd\":\"x\",\"data\":{\"i\":4}}");
        cluster.append("{\"target\":\"all\",\"cmd\":\"x\",\"data\":{\"i\":5}}");
        String fence = cluster.fence();
        Cluster.until(watcher, fence);
        // back on another node, which takes the session with the pushes kept for it
        TestClient back = TestClient.connect(URI.create(cluster.uri(2) + "?wsrv.resume="
                + hello.getString("token") + "&wsrv.last=" + prefix + "-3"));
        open.add(back);
        JsonObject session = back.nextJson().getJsonObject("data");
        assertThat(session.getString("id")).isEqualTo(id);
        assertThat(session.getBoolean("recovered")).isTrue();
        assertThat(session.getInt("replayed")).as("the two and the fence").isEqualTo(3);
        for (int i = 4; i <= 5; i++) {
            JsonObject p = back.awaitPush("x");
            assertThat(p.getJsonObject("data").getInt("i")).isEqualTo(i);
            assertThat(p.getString("seqno")).isEqualTo(prefix + "-" + i);
        }
    }

    /** Opens a connection to node {@code i} as the principal, asking to resume with the token. */
    private TestClient resume(int i, String principal, String token) throws Exception {
        TestClient t = TestClient.connect(URI.create(cluster.uri(i) + "?" + (principal == null ? "" : "as="
                + principal + "&") + "wsrv.resume=" + token));
        open.add(t);
        return t;
    }

    private static JsonObject session(TestClient t) throws Exception {
        JsonObject m = t.nextJson();
        assertThat(m.getString("cmd")).isEqualTo("wsrv.session");
        return m.getJsonObject("data");
    }

    @Test
    @Order(3)
    void aForgedOrAnotherPrincipalsTokenTakesTheSessionOnNoNode() throws Exception {
        balancer = FaultProxy.to(cluster.address(0));
        TestClient alice = TestClient.connect(URI.create(balancer.via(cluster.uri(0)) + "?as=alice&wsrv.resume=new"));
        open.add(alice);
        JsonObject hello = session(alice);
        String id = hello.getString("id");
        String token = hello.getString("token");
        TestClient watcher = node(0);
        balancer.cut();
        await("node1 detaches the session").atMost(WAIT).until(() -> events(watcher, id).getInt("detached", 0) == 1);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);
        for (TestClient t : List.of(resume(1, "alice", forged), resume(2, "bob", token), resume(1, null, token))) {
            JsonObject s = session(t);
            assertThat(s.getBoolean("recovered")).isFalse();
            assertThat(s.getString("reason")).isEqualTo("unknown-token");
            assertThat(s.getString("id")).isNotEqualTo(id);
        }
        // the session stayed where it was, and its owner takes it on another node
        assertThat(events(watcher, id).getInt("closed", 0)).isZero();
        JsonObject s = session(resume(2, "alice", token));
        assertThat(s.getBoolean("recovered")).isTrue();
        assertThat(s.getString("id")).isEqualTo(id);
    }
}
