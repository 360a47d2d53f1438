package dev.wsrv.cluster.redis;

import static dev.wsrv.cluster.redis.Cluster.id;
import static dev.wsrv.cluster.redis.Cluster.join;
import static dev.wsrv.cluster.redis.Cluster.login;
import static dev.wsrv.cluster.redis.Cluster.ok;
import static dev.wsrv.cluster.redis.Cluster.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Presence and the session directory across three cluster nodes (each its own JVM) on a real redis-server, also as
 * the operator console of one node shows and uses it, and the same questions answered by a node without Redis. A test
 * restarts Redis without its data; the last one kills a node with SIGKILL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresenceTest {

    /** The node lifetime (5 s by default), a heartbeat and room for a loaded machine. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Cluster cluster;
    /** The node ids of the cluster nodes, by index. */
    static final String[] NODE_IDS = new String[Cluster.NODES];

    @BeforeAll
    static void start() throws Exception {
        cluster = new Cluster();
        cluster.start();
        for (int i = 0; i < Cluster.NODES; i++) {
            try (TestClient c = cluster.on(i)) {
                NODE_IDS[i] = presence(c, "nobody", "nothing").getString("node");
            }
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void everyNodeSeesWhoIsOnlineWhereAndHowManyAreInAGroup() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1); TestClient c = cluster.on(2)) {
            login(a, user);
            join(a, group);
            login(b, user);
            join(b, group);
            join(c, group);
            for (TestClient asker : new TestClient[] {a, b, c}) {
                awaitPresence(asker, user, group, Map.of(NODE_IDS[0], 1, NODE_IDS[1], 1), 3, 3);
            }

            ok(b.request("leave", seq(), "{\"group\":\"" + group + "\"}"));
            a.close();
            awaitPresence(c, user, group, Map.of(NODE_IDS[1], 1), 1, 2);

            login(b, "someone-else");
            awaitPresence(c, user, group, Map.of(), 1, 2);
        }
        try (TestClient asker = cluster.on(0)) {
            awaitPresence(asker, user, group, Map.of(), 0, 1);
        }
    }

    @Test
    @Order(2)
    void aNodeWithoutRedisAnswersForItself() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        try (TestClient a = cluster.on(-1); TestClient b = cluster.on(-1)) {
            login(a, user);
            join(a, group);
            join(b, group);
            JsonObject p = presence(b, user, group);
            assertThat(p.getString("node")).isEqualTo("local");
            assertThat(nodes(p)).isEqualTo(Map.of("local", 1));
            assertThat(p.getBoolean("online")).isTrue();
            assertThat(p.getJsonNumber("groupSize").longValue()).isEqualTo(2);
            assertThat(p.getJsonNumber("count").longValue()).isEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void theDirectoryListsEveryNodesSessionsAndClosesOneOnAnotherNode() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        try (TestClient x = cluster.on(0); TestClient y = cluster.on(2); TestClient asker = cluster.on(1)) {
            login(x, user);
            login(y, "other-" + user);
            join(y, group);
            String xId = id(x);
            String yId = id(y);
            String askerId = id(asker);

            JsonObject all = ok(asker.request("directory", seq(), "{}"));
            assertThat(all.getString("node")).isEqualTo(NODE_IDS[1]);
            assertThat(all.getJsonArray("silent")).isEmpty();
            Map<String, String> nodeOf = all.getJsonArray("entries").getValuesAs(JsonObject.class).stream()
                    .collect(Collectors.toMap(e -> e.getString("id"), e -> e.getString("node")));
            assertThat(nodeOf).containsEntry(xId, NODE_IDS[0]).containsEntry(yId, NODE_IDS[2])
                    .containsEntry(askerId, NODE_IDS[1]);

            List<JsonObject> byUser = entries(ok(asker.request("directory", seq(), "{\"user\":\"" + user + "\"}")));
            assertThat(byUser).singleElement().satisfies(e -> {
                assertThat(e.getString("id")).isEqualTo(xId);
                assertThat(e.getString("node")).isEqualTo(NODE_IDS[0]);
                assertThat(e.getString("user")).isEqualTo(user);
                assertThat(e.getString("address")).startsWith("127.0.0.1");
            });
            List<JsonObject> byGroup = entries(ok(asker.request("directory", seq(), "{\"group\":\"" + group + "\"}")));
            assertThat(byGroup).singleElement().satisfies(e -> {
                assertThat(e.getString("id")).isEqualTo(yId);
                assertThat(e.getString("node")).isEqualTo(NODE_IDS[2]);
                assertThat(e.getJsonArray("groups").getValuesAs(JsonString.class))
                        .extracting(JsonString::getString).containsExactly(group);
            });

            JsonObject closed = ok(asker.request("dirclose", seq(), "{\"id\":\"" + yId
                    + "\",\"code\":4000,\"reason\":\"closed by an operator\"}"));
            assertThat(closed.getBoolean("closed")).isTrue();
            TestClient.Close close = y.awaitClose();
            assertThat(close.code()).isEqualTo(4000);
            assertThat(close.reason()).isEqualTo("closed by an operator");

            JsonObject again = ok(asker.request("dirclose", seq(), "{\"id\":\"" + yId
                    + "\",\"code\":4000,\"reason\":\"again\"}"));
            assertThat(again.getBoolean("closed")).isFalse();
            assertThat(x.isClosed()).isFalse();
        }
    }

    /** The console's page asks as this test does: its own API, with the header only the page sends on an action. */
    @Test
    @Order(3)
    void theConsoleOfOneNodeListsAnotherNodesSessionWithItsNodeAndClosesIt() throws Exception {
        String user = "u-" + UUID.randomUUID();
        try (TestClient b = cluster.on(1)) {
            login(b, user);
            String bId = id(b);

            HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(cluster.console("api/sessions?user=" + user))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            JsonObject listing = Json.createReader(new StringReader(listed.body())).readObject();
            assertThat(listing.getString("node")).isEqualTo(NODE_IDS[0]);
            assertThat(listing.getJsonArray("silentNodes")).isEmpty();
            assertThat(listing.getJsonArray("sessions").getValuesAs(JsonObject.class)).singleElement().satisfies(e -> {
                assertThat(e.getString("id")).isEqualTo(bId);
                assertThat(e.getString("node")).isEqualTo(NODE_IDS[1]);
                assertThat(e.getString("user")).isEqualTo(user);
            });

            HttpResponse<String> closed = HTTP.send(HttpRequest.newBuilder(cluster.console("api/close"))
                    .timeout(Duration.ofSeconds(10))
                    .headers("Content-Type", "application/json", "X-Wsrv-Console", "1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"" + bId
                            + "\",\"code\":4000,\"reason\":\"closed by an operator\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
            assertThat(closed.body()).isEqualTo("{\"closed\":true}");
            assertThat(b.awaitClose()).isEqualTo(new TestClient.Close(4000, "closed by an operator"));
        }
    }

    @Test
    @Order(4)
    void eachNodeWritesItsPresenceAgainWhenRedisComesBackWithoutIt() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1)) {
            login(a, user);
            join(b, group);
            awaitPresence(b, user, group, Map.of(NODE_IDS[0], 1), 1, 2);

            cluster.redisDown();
            cluster.redisUp();
            cluster.awaitNodeSet();

            // nothing about the user or the group changed since: only a node that writes all it has brings them back
            awaitPresence(b, user, group, Map.of(NODE_IDS[0], 1), 1, 2);
            awaitPresence(a, user, group, Map.of(NODE_IDS[0], 1), 1, 2);
        }
    }

    @Test
    @Order(4)
    void questionsGoByTheScriptsDigestAndStillAnswerWhenRedisForgotTheScripts() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        try (TestClient a = cluster.on(0); TestClient b = cluster.on(1)) {
            login(a, user);
            join(b, group);
            long before = evalshaCalls();
            awaitPresence(b, user, group, Map.of(NODE_IDS[0], 1), 1, 2);
            assertThat(evalshaCalls()).isGreaterThan(before);

            assertThat(Proc.redisCli(cluster.redisPort, "SCRIPT", "FLUSH")).isEqualTo("OK");
            join(a, group);
            awaitPresence(b, user, group, Map.of(NODE_IDS[0], 1), 2, 2);
            awaitPresence(a, user, group, Map.of(NODE_IDS[0], 1), 2, 2);
        }
    }

    /** How many EVALSHA commands Redis ran since it started. */
    private static long evalshaCalls() throws Exception {
        String stats = Proc.redisCli(cluster.redisPort, "INFO", "commandstats");
        return stats.lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*$", "$1"))).orElse(0L);
    }

    @Test
    @Order(5)
    void aKilledNodesSessionsDisappearFromTheOthersViewWithinTheNodeLifetime() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String group = "g-" + UUID.randomUUID();
        TestClient doomed = cluster.on(2);
        try (TestClient asker = cluster.on(0); TestClient other = cluster.on(1)) {
            login(doomed, user);
            join(doomed, group);
            join(other, group);
            awaitPresence(asker, user, group, Map.of(NODE_IDS[2], 1), 2, 3);

            cluster.node(2).kill();

            awaitPresence(asker, user, group, Map.of(), 1, 2);
            Awaitility.await("the directory of node1 without node3's sessions and nobody silent")
                    .atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        JsonObject listing = ok(other.request("directory", seq(), "{}"));
                        assertThat(listing.getJsonArray("silent")).isEmpty();
                        assertThat(entries(listing)).extracting(e -> e.getString("node"))
                                .containsOnly(NODE_IDS[0], NODE_IDS[1]);
                    });
        } finally {
            doomed.close();
        }
    }

    private static JsonObject presence(TestClient c, String user, String group) throws Exception {
        return ok(c.request("presence", seq(), "{\"user\":\"" + user + "\",\"group\":\"" + group + "\"}"));
    }

    /** Waits, at most {@link #GONE_WITHIN}, until the node of {@code asker} answers exactly these. */
    private static void awaitPresence(TestClient asker, String user, String group, Map<String, Integer> nodes,
                                      long groupSize, long count) {
        Awaitility.await("presence of " + user + ": " + nodes + ", group " + groupSize + ", sessions " + count)
                .atMost(GONE_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    JsonObject p = presence(asker, user, group);
                    assertThat(nodes(p)).isEqualTo(nodes);
                    assertThat(p.getBoolean("online")).isEqualTo(!nodes.isEmpty());
                    assertThat(p.getJsonNumber("groupSize").longValue()).isEqualTo(groupSize);
                    assertThat(p.getJsonNumber("count").longValue()).isEqualTo(count);
                });
    }

    private static Map<String, Integer> nodes(JsonObject presence) {
        return presence.getJsonObject("nodes").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((jakarta.json.JsonNumber) e.getValue()).intValue()));
    }

    private static List<JsonObject> entries(JsonObject listing) {
        return listing.getJsonArray("entries").getValuesAs(JsonValue::asJsonObject);
    }
}
