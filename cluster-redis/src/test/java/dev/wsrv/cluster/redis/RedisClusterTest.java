package dev.wsrv.cluster.redis;

import static dev.wsrv.cluster.redis.Cluster.NODES;
import static dev.wsrv.cluster.redis.Cluster.cmd;
import static dev.wsrv.cluster.redis.Cluster.expectOne;
import static dev.wsrv.cluster.redis.Cluster.id;
import static dev.wsrv.cluster.redis.Cluster.ids;
import static dev.wsrv.cluster.redis.Cluster.join;
import static dev.wsrv.cluster.redis.Cluster.login;
import static dev.wsrv.cluster.redis.Cluster.ok;
import static dev.wsrv.cluster.redis.Cluster.pushto;
import static dev.wsrv.cluster.redis.Cluster.seq;
import static dev.wsrv.cluster.redis.Cluster.until;
import static dev.wsrv.cluster.redis.Cluster.untilReply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three cluster nodes and one node without a Redis URI, each its own JVM, on a real redis-server; clients spread
 * over them. Each target gets exactly one copy and nobody else any.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    /** The WARN a node logs once when it finds that it missed pushes. */
    static final String LOSS = "this node missed cluster pushes";
    /** The WARN of a stream reader that lost Redis, once per outage. */
    static final String READER_LOST = "the stream reader lost Redis";
    /** The INFO of a stream reader that is back. */
    static final String READER_BACK = "the stream reader is back on Redis";

    /** A {@code redis-cli PUBLISH} or {@code XADD} example of the README: the command, the key, the message. */
    private static final Pattern README_EXAMPLE = Pattern.compile(
            "redis-cli (PUBLISH|XADD) (\\S+) (?:MAXLEN '~' 10000 '\\*' m )?'([^']+)'");

    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster();
        cluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void pushToSessionOnAnotherNode() throws Exception {
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1); TestClient c = cluster.on(2);
             TestClient d = cluster.on(1)) {
            String bId = id(b);
            String cmd = cmd();
            JsonObject r = pushto(a, "session", bId, cmd, "{\"n\":1}");
            assertThat(ids(r)).isEmpty();                      // not claimed: delivered elsewhere
            assertThat(r.getJsonArray("failures")).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{\"n\":1}", b);
            cluster.expectNothingMore(a, b, c, d);

            // a local session is written directly and reported as delivered
            String aId = id(a);
            JsonObject local = pushto(a, "session", aId, cmd, "{\"n\":2}");
            assertThat(ids(local)).containsExactly(aId);
            assertThat(local.getJsonNumber("remoteNodes").longValue()).isZero();
            expectOne(cmd, "{\"n\":2}", a);

            // an unknown id reaches nobody
            JsonObject none = pushto(c, "session", UUID.randomUUID().toString(), cmd, "{\"n\":3}");
            assertThat(ids(none)).isEmpty();
            cluster.expectNothingMore(a, b, c, d);
        }
    }

    @Test
    @Order(2)
    void pushToUserWithSessionsOnTwoNodes() throws Exception {
        try (TestClient u1 = cluster.on(0); TestClient u2 = cluster.on(1); TestClient other = cluster.on(2);
             TestClient anon = cluster.on(2); TestClient u3 = cluster.on(2)) {
            login(u1, "7");
            login(u2, "7");
            login(other, "8");
            String cmd = cmd();
            JsonObject r = pushto(anon, "user", "7", cmd, "{\"to\":7}");
            assertThat(ids(r)).isEmpty();
            assertThat(r.getJsonArray("failures")).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{\"to\":7}", u1, u2);
            cluster.expectNothingMore(u1, u2, other, anon, u3);

            // user 7 also on the pushing node: delivered here, and on the other node once
            login(u3, "7");
            String cmd2 = cmd();
            JsonObject r2 = pushto(anon, "user", "7", cmd2, "[1,2]");
            assertThat(ids(r2)).containsExactly(id(u3));
            expectOne(cmd2, "[1,2]", u1, u2, u3);
            cluster.expectNothingMore(u1, u2, u3, other, anon);
        }
    }

    @Test
    @Order(3)
    void pushToGroupAcrossNodes() throws Exception {
        try (TestClient g1 = cluster.on(0); TestClient g3 = cluster.on(2); TestClient out2 = cluster.on(1);
             TestClient out1 = cluster.on(0); TestClient other = cluster.on(2)) {
            join(g1, "room");
            join(g3, "room");
            join(other, "hall");
            String cmd = cmd();
            JsonObject r = pushto(out2, "group", "room", cmd, "\"hi\"");
            assertThat(ids(r)).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "\"hi\"", g1, g3);
            cluster.expectNothingMore(g1, g3, out2, out1, other);
        }
    }

    @Test
    @Order(4)
    void broadcastReachesEveryoneOnEveryNodeOnce() throws Exception {
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(0); TestClient c = cluster.on(1);
             TestClient d = cluster.on(2); TestClient lone = cluster.on(-1)) {
            String aId = id(a);
            String bId = id(b);
            String cmd = cmd();
            JsonObject r = pushto(a, "all", "", cmd, "{}");
            assertThat(ids(r)).containsExactlyInAnyOrder(aId, bId);
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{}", a, b, c, d);
            // the node without Redis is not part of the cluster
            cluster.expectNothingMore(a, b, c, d, lone);
        }
    }

    @Test
    @Order(5)
    void redisCliPublishReachesTheRightClients() throws Exception {
        try (TestClient u1 = cluster.on(0); TestClient u2 = cluster.on(2); TestClient g = cluster.on(1);
             TestClient s = cluster.on(1); TestClient nobody = cluster.on(0)) {
            login(u1, "42");
            login(u2, "42");
            join(g, "ops");
            String sId = id(s);
            long before = cluster.node(1).count("dropped a message");

            // bad messages are dropped with a WARN and do not stop the subscriber
            assertThat(cluster.publish("not json")).isEqualTo(NODES);
            cluster.publish("{\"target\":\"planet\",\"key\":\"x\",\"cmd\":\"c\"}");
            cluster.publish("{\"target\":\"user\",\"cmd\":\"c\"}");
            cluster.publish("{\"target\":\"user\",\"key\":\"42\"}");
            cluster.publish("[1]");

            String user = cmd();
            cluster.publish("{\"target\":\"user\",\"key\":\"42\",\"cmd\":\"" + user
                    + "\",\"seqno\":\"ext-1\",\"data\":{\"a\":1}}");
            expectOne(user, "{\"a\":1}", u1, u2);

            String group = cmd();
            cluster.publish("{\"target\":\"group\",\"key\":\"ops\",\"cmd\":\"" + group + "\"}");
            expectOne(group, "{}", g);

            String session = cmd();
            cluster.publish("{\"target\":\"session\",\"key\":\"" + sId + "\",\"cmd\":\"" + session
                    + "\",\"data\":\"x\",\"binary\":true}");
            TestClient.Message m = s.next();
            assertThat(m.binary()).isTrue();
            assertThat(m.json().getString("cmd")).isEqualTo(session);
            assertThat(m.json().getString("data")).isEqualTo("x");
            assertThat(m.json().getString("seqno")).isNotEmpty();
            cluster.expectNothingMore(u1, u2, g, s, nobody);

            String all = cmd();
            cluster.publish("{\"target\":\"all\",\"cmd\":\"" + all + "\",\"data\":[true]}");
            expectOne(all, "[true]", u1, u2, g, s, nobody);
            cluster.expectNothingMore(u1, u2, g, s, nobody);

            // the seqno given is kept
            String seqd = cmd();
            cluster.publish("{\"target\":\"user\",\"key\":\"42\",\"cmd\":\"" + seqd + "\",\"seqno\":\"ext-9\"}");
            assertThat(u1.awaitPush(seqd).getString("seqno")).isEqualTo("ext-9");
            assertThat(u2.awaitPush(seqd).getString("seqno")).isEqualTo("ext-9");

            assertThat(cluster.node(1).count("dropped a message") - before).isEqualTo(5);
        }
    }

    @Test
    @Order(6)
    void withoutRedisUriTheNodeIsSingleAndUnchanged() throws Exception {
        try (TestClient a = cluster.on(-1); TestClient b = cluster.on(-1); TestClient remote = cluster.on(0)) {
            assertThat(ok(a.request("transport", seq(), null)).getBoolean("resolvable")).isFalse();
            assertThat(ok(remote.request("transport", seq(), null)).getBoolean("resolvable")).isTrue();
            login(a, "5");
            login(remote, "5");
            String cmd = cmd();
            JsonObject r = pushto(b, "user", "5", cmd, "1");
            assertThat(ids(r)).containsExactly(id(a));
            assertThat(r.getJsonArray("failures")).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isZero();
            expectOne(cmd, "1", a);
            JsonObject s = pushto(b, "session", UUID.randomUUID().toString(), cmd, "2");
            assertThat(s.getJsonArray("failures").getJsonObject(0).getString("reason")).isEqualTo("no such session");
            cluster.expectNothingMore(a, b, remote);
        }
    }

    @Test
    @Order(7)
    void aNodeCutOffFromRedisGetsEveryPushPublishedMeanwhileInOrderOnceItIsBack() throws Exception {
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1); TestClient other = cluster.on(1)) {
            login(b, "31");
            join(b, "cut");
            String bId = id(b);
            Proc node2 = cluster.node(1);
            long outages = node2.count(READER_LOST);
            long returns = node2.count(READER_BACK);
            long losses = node2.count(LOSS);
            for (int round = 1; round <= 2; round++) {
                cluster.proxy(1).down();
                // node 2 cannot append any more: its own pushes for other nodes fail visibly
                JsonObject refused = pushto(other, "session", UUID.randomUUID().toString(), cmd(), "0");
                assertThat(refused.getJsonArray("failures").getJsonObject(0).getString("id")).isEqualTo("remote");

                List<String> expected = new ArrayList<>();
                String[][] targets = {{"user", "31"}, {"group", "cut"}, {"session", bId}, {"all", ""}};
                for (int n = 1; n <= 10; n++) {
                    String data = "{\"round\":" + round + ",\"n\":" + n + "}";
                    for (String[] to : targets) {
                        JsonObject r = pushto(a, to[0], to[1], "cut-" + to[0], data);
                        assertThat(r.getJsonArray("failures")).as("push %s %d", to[0], n).isEmpty();
                        expected.add("cut-" + to[0] + " " + data);
                    }
                }
                // a service outside the cluster: what it appends is caught up, what it publishes is not
                cluster.append("{\"target\":\"user\",\"key\":\"31\",\"cmd\":\"cut-appended\",\"data\":" + round
                        + "}");
                expected.add("cut-appended " + round);
                assertThat(cluster.publish("{\"target\":\"user\",\"key\":\"31\",\"cmd\":\"cut-published\"}"))
                        .as("subscribed nodes").isEqualTo(NODES - 1);
                assertThat(b.pending()).as("nothing reaches node 2 while it is cut off").isZero();

                cluster.proxy(1).resume();

                List<String> got = until(b, cluster.fence()).stream()
                        .map(m -> m.getString("cmd") + " " + m.get("data")).toList();
                assertThat(got).as("round %d: every push once, in order", round).containsExactlyElementsOf(expected);
            }
            assertThat(node2.count(READER_LOST) - outages).as("outages reported").isEqualTo(2);
            assertThat(node2.count(READER_BACK) - returns).as("returns reported").isEqualTo(2);
            assertThat(node2.count(LOSS) - losses).as("losses reported").isZero();
        }
    }

    @Test
    @Order(8)
    void redisRestartWithoutItsDataFailsPushesMeanwhileAndEveryNodeReportsTheLossOnce() throws Exception {
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1)) {
            login(a, "9");
            login(b, "9");
            String aId = id(a);

            cluster.redisDown();
            // local pushes keep working; the remote part is reported as failed (the reply comes: nothing hangs)
            String cmd = cmd();
            JsonObject r = pushto(a, "user", "9", cmd, "{\"down\":true}");
            assertThat(ids(r)).containsExactly(aId);
            assertThat(r.getJsonArray("failures")).hasSize(1);
            assertThat(r.getJsonArray("failures").getJsonObject(0).getString("id")).isEqualTo("remote");
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isZero();
            expectOne(cmd, "{\"down\":true}", a);
            JsonObject local = pushto(a, "session", aId, cmd, "2");
            assertThat(ids(local)).containsExactly(aId);
            expectOne(cmd, "2", a);
            assertThat(untilReply(a)).isEmpty();

            cluster.redisUp();
            // every node reconnects and subscribes again by itself
            String probe = cmd();
            Awaitility.await("every node subscribed again").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.publish("{\"target\":\"user\",\"key\":\"nobody\",\"cmd\":\"x\"}") == NODES
                            && pushto(a, "user", "9", probe, "0").getJsonArray("failures").isEmpty());
            String fence = cluster.fence();
            assertThat(until(a, fence)).allSatisfy(p -> assertThat(p.getString("cmd")).isEqualTo(probe));
            assertThat(until(b, fence)).as("what was published while Redis was down is not delivered later")
                    .allSatisfy(p -> assertThat(p.getString("cmd")).isEqualTo(probe));

            // every node finds a new epoch: Redis lost what it held, and each says so once
            for (int node = 0; node < NODES; node++) {
                Proc p = cluster.node(node);
                Awaitility.await(p.name + " reports the loss").atMost(Duration.ofSeconds(20))
                        .until(() -> p.logged(LOSS));
            }
            cluster.awaitNodeSet();
            String after = cmd();
            JsonObject r2 = pushto(a, "user", "9", after, "{\"up\":true}");
            assertThat(r2.getJsonArray("failures")).isEmpty();
            assertThat(r2.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(after, "{\"up\":true}", a, b);
            cluster.expectNothingMore(a, b);
            assertThat(cluster.node(1).logged("connection lost")).isTrue();
            assertThat(cluster.node(1).logged("re-established")).isTrue();
            assertThat(cluster.node(1).logged(READER_LOST)).isTrue();
            for (int node = 0; node < NODES; node++) {
                assertThat(cluster.node(node).count(LOSS)).as("loss reports of node %d", node).isOne();
                assertThat(cluster.node(node).logged(LOSS + ": Redis lost the cluster's data")).isTrue();
            }
        }
    }

    @Test
    @Order(9)
    void theReadmesPublishAndAppendExamplesReachTheirClients() throws Exception {
        List<MatchResult> examples = README_EXAMPLE.matcher(Files.readString(Path.of("..", "README.md"))).results()
                .toList();
        assertThat(examples).extracting(e -> e.group(1)).as("redis-cli examples in the README")
                .contains("PUBLISH", "XADD");
        for (MatchResult example : examples) {
            boolean append = example.group(1).equals("XADD");
            assertThat(example.group(2)).isEqualTo(append
                    ? RedisCluster.DEFAULT_CHANNEL + RedisCluster.STREAM_SUFFIX : RedisCluster.DEFAULT_CHANNEL);
            JsonObject message = Json.createReader(new StringReader(example.group(3))).readObject();
            String target = message.getString("target");
            String key = message.getString("key", "");
            List<TestClient> clients = new ArrayList<>();
            try {
                List<TestClient> addressed = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    TestClient in = cluster.on(node);
                    TestClient out = cluster.on(node);
                    clients.addAll(List.of(in, out));
                    switch (target) {
                        case "user" -> login(in, key);
                        case "group" -> join(in, key);
                        case "all" -> {
                            // a reply proves the session is registered: the push must not come before that
                            id(in);
                            id(out);
                            addressed.add(out);
                        }
                        default -> throw new AssertionError("example for target " + target + ": " + example.group());
                    }
                    addressed.add(in);
                }
                if (append) {
                    cluster.append(example.group(3));
                } else {
                    assertThat(cluster.publish(example.group(3))).as(example.group()).isEqualTo(NODES);
                }
                for (TestClient c : addressed) {
                    JsonObject push = c.awaitPush(message.getString("cmd"));
                    assertThat(push.getInt("status")).isZero();
                    assertThat(push.getString("msg")).isEqualTo("ok");
                    assertThat(push.get("data")).isEqualTo(message.getOrDefault("data", JsonValue.EMPTY_JSON_OBJECT));
                    assertThat(push.getString("seqno")).isNotEmpty();
                    if (message.containsKey("seqno")) {
                        assertThat(push.getString("seqno")).isEqualTo(message.getString("seqno"));
                    }
                }
                cluster.expectNothingMore(clients.toArray(TestClient[]::new));
            } finally {
                clients.forEach(TestClient::close);
            }
        }
    }

    @Test
    @Order(10)
    void pushSeqnosAreUniqueAcrossNodesAndRestarts() throws Exception {
        // seqno -> the push it was seen on; a fresh process counts from the start again: nodes 2 and 3 restart
        // together, then node 3 once more
        Map<String, String> seen = new HashMap<>();
        cluster.restart(1, 2);
        collectSeqnos(seen);
        cluster.restart(2);
        collectSeqnos(seen);
        assertThat(seen).hasSize(2 * (NODES * 3 + NODES));
    }

    /** Three broadcasts from each node and one message without seqno from Redis; records the seqnos. */
    private static void collectSeqnos(Map<String, String> seen) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int node = 0; node < NODES; node++) {
                clients.add(cluster.on(node));
            }
            for (int node = 0; node < NODES; node++) {
                for (int k = 0; k < 3; k++) {
                    String cmd = cmd();
                    pushto(clients.get(node), "all", "", cmd, "0");
                    for (TestClient c : clients) {
                        record(seen, c.awaitPush(cmd).getString("seqno"), cmd);
                    }
                }
            }
            // each node generates the seqno of a message that has none
            String external = cmd();
            assertThat(cluster.publish("{\"target\":\"all\",\"cmd\":\"" + external + "\"}")).isEqualTo(NODES);
            for (int node = 0; node < NODES; node++) {
                record(seen, clients.get(node).awaitPush(external).getString("seqno"), external + " on node " + node);
            }
            cluster.expectNothingMore(clients.toArray(TestClient[]::new));
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    private static void record(Map<String, String> seen, String seqno, String push) {
        assertThat(seqno).isNotEmpty();
        String first = seen.putIfAbsent(seqno, push);
        assertThat(first == null ? push : first).as("the push that first had seqno %s", seqno).isEqualTo(push);
    }
}
