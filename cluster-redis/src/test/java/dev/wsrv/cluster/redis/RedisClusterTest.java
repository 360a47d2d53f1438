package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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

    private static final Duration QUIET = Duration.ofMillis(400);
    private static final AtomicInteger SEQ = new AtomicInteger();

    static int redisPort;
    static Proc redis;
    static final List<Proc> nodes = new ArrayList<>();
    static final URI[] uri = new URI[3];
    static Proc single;
    static URI singleUri;

    @BeforeAll
    static void start() throws Exception {
        redisPort = Proc.freePort();
        redis = Proc.redis(redisPort);
        redis.awaitReady(Duration.ofSeconds(15));
        String redisUri = "redis://127.0.0.1:" + redisPort;
        for (int i = 0; i < 3; i++) {
            nodes.add(Proc.node("node" + (i + 1), Proc.freePort(), redisUri));
        }
        single = Proc.node("single", Proc.freePort(), null);
        for (int i = 0; i < 3; i++) {
            uri[i] = URI.create(nodes.get(i).awaitReady(Duration.ofSeconds(40)).substring("READY ".length()).trim());
        }
        singleUri = URI.create(single.awaitReady(Duration.ofSeconds(40)).substring("READY ".length()).trim());
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Proc::close);
        if (single != null) {
            single.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    static TestClient on(int node) throws Exception {
        return TestClient.connect(node < 0 ? singleUri : uri[node]);
    }

    static String id(TestClient c) throws Exception {
        return ok(c.request("whoami", seq(), null)).getString("id");
    }

    static void login(TestClient c, String user) throws Exception {
        ok(c.request("login", seq(), "{\"user\":\"" + user + "\"}"));
    }

    static void join(TestClient c, String group) throws Exception {
        ok(c.request("join", seq(), "{\"group\":\"" + group + "\"}"));
    }

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

    static String cmd() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<String> ids(JsonObject result) {
        return result.getJsonArray("delivered").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }

    /** Each of these gets exactly one push with the command (and the data). */
    static void expectOne(String cmd, String dataJson, TestClient... targets) throws Exception {
        for (TestClient t : targets) {
            JsonObject p = t.awaitPush(cmd);
            assertThat(p.getInt("status")).isZero();
            assertThat(p.get("data").toString()).isEqualTo(dataJson);
        }
    }

    /** After a quiet period, none of the clients has anything more. */
    static void expectNothingMore(TestClient... clients) throws Exception {
        boolean first = true;
        for (TestClient c : clients) {
            List<TestClient.Message> rest = c.drain(first ? QUIET : Duration.ofMillis(5));
            first = false;
            assertThat(rest).isEmpty();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    @Order(1)
    void pushToSessionOnAnotherNode() throws Exception {
        try (TestClient a = on(0); TestClient b = on(1); TestClient c = on(2); TestClient d = on(1)) {
            String bId = id(b);
            String cmd = cmd();
            JsonObject r = pushto(a, "session", bId, cmd, "{\"n\":1}");
            assertThat(ids(r)).isEmpty();                      // not claimed: delivered elsewhere
            assertThat(r.getJsonArray("failures")).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{\"n\":1}", b);
            expectNothingMore(a, b, c, d);

            // a local session is written directly and reported as delivered
            String aId = id(a);
            JsonObject local = pushto(a, "session", aId, cmd, "{\"n\":2}");
            assertThat(ids(local)).containsExactly(aId);
            assertThat(local.getJsonNumber("remoteNodes").longValue()).isZero();
            expectOne(cmd, "{\"n\":2}", a);

            // an unknown id reaches nobody
            JsonObject none = pushto(c, "session", UUID.randomUUID().toString(), cmd, "{\"n\":3}");
            assertThat(ids(none)).isEmpty();
            expectNothingMore(a, b, c, d);
        }
    }

    @Test
    @Order(2)
    void pushToUserWithSessionsOnTwoNodes() throws Exception {
        try (TestClient u1 = on(0); TestClient u2 = on(1); TestClient other = on(2); TestClient anon = on(2);
             TestClient u3 = on(2)) {
            login(u1, "7");
            login(u2, "7");
            login(other, "8");
            String cmd = cmd();
            JsonObject r = pushto(anon, "user", "7", cmd, "{\"to\":7}");
            assertThat(ids(r)).isEmpty();
            assertThat(r.getJsonArray("failures")).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{\"to\":7}", u1, u2);
            expectNothingMore(u1, u2, other, anon, u3);

            // user 7 also on the pushing node: delivered here, and on the other node once
            login(u3, "7");
            String cmd2 = cmd();
            JsonObject r2 = pushto(anon, "user", "7", cmd2, "[1,2]");
            assertThat(ids(r2)).containsExactly(id(u3));
            expectOne(cmd2, "[1,2]", u1, u2, u3);
            expectNothingMore(u1, u2, u3, other, anon);
        }
    }

    @Test
    @Order(3)
    void pushToGroupAcrossNodes() throws Exception {
        try (TestClient g1 = on(0); TestClient g3 = on(2); TestClient out2 = on(1); TestClient out1 = on(0);
             TestClient other = on(2)) {
            join(g1, "room");
            join(g3, "room");
            join(other, "hall");
            String cmd = cmd();
            JsonObject r = pushto(out2, "group", "room", cmd, "\"hi\"");
            assertThat(ids(r)).isEmpty();
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "\"hi\"", g1, g3);
            expectNothingMore(g1, g3, out2, out1, other);
        }
    }

    @Test
    @Order(4)
    void broadcastReachesEveryoneOnEveryNodeOnce() throws Exception {
        try (TestClient a = on(0); TestClient b = on(0); TestClient c = on(1); TestClient d = on(2);
             TestClient lone = on(-1)) {
            String aId = id(a);
            String bId = id(b);
            String cmd = cmd();
            JsonObject r = pushto(a, "all", "", cmd, "{}");
            assertThat(ids(r)).containsExactlyInAnyOrder(aId, bId);
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isEqualTo(2);
            expectOne(cmd, "{}", a, b, c, d);
            // the node without Redis is not part of the cluster
            expectNothingMore(a, b, c, d, lone);
        }
    }

    @Test
    @Order(5)
    void redisCliPublishReachesTheRightClients() throws Exception {
        try (TestClient u1 = on(0); TestClient u2 = on(2); TestClient g = on(1); TestClient s = on(1);
             TestClient nobody = on(0)) {
            login(u1, "42");
            login(u2, "42");
            join(g, "ops");
            String sId = id(s);
            String before = nodes.get(1).count("dropped a message") + "";

            // bad messages are dropped with a WARN and do not stop the subscriber
            assertThat(Proc.publish(redisPort, "wsrv:push", "not json")).isEqualTo("3");
            Proc.publish(redisPort, "wsrv:push", "{\"target\":\"planet\",\"key\":\"x\",\"cmd\":\"c\"}");
            Proc.publish(redisPort, "wsrv:push", "{\"target\":\"user\",\"cmd\":\"c\"}");
            Proc.publish(redisPort, "wsrv:push", "{\"target\":\"user\",\"key\":\"42\"}");
            Proc.publish(redisPort, "wsrv:push", "[1]");

            String user = cmd();
            Proc.publish(redisPort, "wsrv:push",
                    "{\"target\":\"user\",\"key\":\"42\",\"cmd\":\"" + user + "\",\"seqno\":\"ext-1\",\"data\":{\"a\":1}}");
            expectOne(user, "{\"a\":1}", u1, u2);

            String group = cmd();
            Proc.publish(redisPort, "wsrv:push", "{\"target\":\"group\",\"key\":\"ops\",\"cmd\":\"" + group + "\"}");
            expectOne(group, "{}", g);

            String session = cmd();
            Proc.publish(redisPort, "wsrv:push",
                    "{\"target\":\"session\",\"key\":\"" + sId + "\",\"cmd\":\"" + session + "\",\"data\":\"x\",\"binary\":true}");
            TestClient.Message m = s.next();
            assertThat(m.binary()).isTrue();
            assertThat(m.json().getString("cmd")).isEqualTo(session);
            assertThat(m.json().getString("data")).isEqualTo("x");
            assertThat(m.json().getString("seqno")).isNotEmpty();
            expectNothingMore(u1, u2, g, s, nobody);

            String all = cmd();
            Proc.publish(redisPort, "wsrv:push", "{\"target\":\"all\",\"cmd\":\"" + all + "\",\"data\":[true]}");
            expectOne(all, "[true]", u1, u2, g, s, nobody);
            expectNothingMore(u1, u2, g, s, nobody);

            // the seqno given is kept
            String seqd = cmd();
            Proc.publish(redisPort, "wsrv:push",
                    "{\"target\":\"user\",\"key\":\"42\",\"cmd\":\"" + seqd + "\",\"seqno\":\"ext-9\"}");
            assertThat(u1.awaitPush(seqd).getString("seqno")).isEqualTo("ext-9");
            assertThat(u2.awaitPush(seqd).getString("seqno")).isEqualTo("ext-9");

            assertThat(nodes.get(1).count("dropped a message") - Long.parseLong(before)).isEqualTo(5);
        }
    }

    @Test
    @Order(6)
    void withoutRedisUriTheNodeIsSingleAndUnchanged() throws Exception {
        try (TestClient a = on(-1); TestClient b = on(-1); TestClient remote = on(0)) {
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
            expectNothingMore(a, b, remote);
        }
    }

    @Test
    @Order(7)
    void redisOutageFailsRemotePushesVisiblyAndRecoversByItself() throws Exception {
        try (TestClient a = on(0); TestClient b = on(1)) {
            login(a, "9");
            login(b, "9");
            String aId = id(a);

            redis.close();
            // local pushes keep working; the remote part is reported as failed, fast
            String cmd = cmd();
            long t0 = System.nanoTime();
            JsonObject r = pushto(a, "user", "9", cmd, "{\"down\":true}");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(ids(r)).containsExactly(aId);
            assertThat(r.getJsonArray("failures")).hasSize(1);
            assertThat(r.getJsonArray("failures").getJsonObject(0).getString("id")).isEqualTo("remote");
            assertThat(r.getJsonNumber("remoteNodes").longValue()).isZero();
            expectOne(cmd, "{\"down\":true}", a);
            JsonObject local = pushto(a, "session", aId, cmd, "2");
            assertThat(ids(local)).containsExactly(aId);
            expectOne(cmd, "2", a);
            expectNothingMore(a, b);

            redis = Proc.redis(redisPort);
            redis.awaitReady(Duration.ofSeconds(15));
            // poll: every node reconnects and subscribes again by itself
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String probe = cmd();
            while (true) {
                JsonObject p = pushto(a, "user", "9", probe, "0");
                if (p.getJsonArray("failures").isEmpty() && p.getJsonNumber("remoteNodes").longValue() == 2) {
                    break;
                }
                assertThat(System.nanoTime()).as("cluster back within 20 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            a.drain(QUIET);
            b.drain(Duration.ofMillis(5));

            String after = cmd();
            JsonObject r2 = pushto(a, "user", "9", after, "{\"up\":true}");
            assertThat(r2.getJsonArray("failures")).isEmpty();
            expectOne(after, "{\"up\":true}", a, b);
            expectNothingMore(a, b);
            assertThat(nodes.get(1).logged("connection lost")).isTrue();
            assertThat(nodes.get(1).logged("re-established")).isTrue();
        }
    }
}
