package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.SessionInfo;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service bean that is not an endpoint pushes to a session, a user with three sessions, a group and everyone:
 * each target gets exactly one copy, nobody else gets any, and the result names exactly who was reached.
 */
@Timeout(60)
class PushTargetsTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    @Test
    void eachTargetGetsExactlyOneCopyAndNobodyElseAny() throws Exception {
        try (EmbeddedServer server = PusherServers.start()) {
            PushService svc = PusherServers.service(server);
            Map<String, TestClient> clients = new LinkedHashMap<>();
            try {
                for (String name : List.of("single", "alice1", "alice2", "alice3", "room1", "room2", "bystander")) {
                    clients.put(name, TestClient.connect(server.uri()));
                }
                Map<String, String> ids = new LinkedHashMap<>();
                for (Map.Entry<String, TestClient> e : clients.entrySet()) {
                    ids.put(e.getKey(), PusherServers.whoami(e.getValue()));
                }
                for (String n : List.of("alice1", "alice2", "alice3")) {
                    PusherServers.login(clients.get(n), "alice");
                }
                // binding again replaces the user; leaving a group leaves it
                PusherServers.login(clients.get("bystander"), "alice");
                PusherServers.login(clients.get("bystander"), "bob");
                PusherServers.join(clients.get("bystander"), "room");
                assertThat(clients.get("bystander").request("leave", "l", "{\"name\":\"room\"}").getInt("status"))
                        .isZero();
                PusherServers.join(clients.get("room1"), "room");
                PusherServers.join(clients.get("room2"), "room");
                PusherServers.join(clients.get("room2"), "room"); // joining twice has no further effect
                PusherServers.join(clients.get("bystander"), "other-room");
                Set<String> alice = Set.of(ids.get("alice1"), ids.get("alice2"), ids.get("alice3"));
                Set<String> room = Set.of(ids.get("room1"), ids.get("room2"));

                assertThat(svc.sessions().ofUser("alice")).extracting(SessionInfo::id)
                        .containsExactlyInAnyOrderElementsOf(alice);
                assertThat(svc.sessions().inGroup("room")).extracting(SessionInfo::id)
                        .containsExactlyInAnyOrderElementsOf(room);

                // one session
                assertReached(svc.toSession(ids.get("single"), "to_one", Map.of("k", 1)), Set.of(ids.get("single")));
                // a user with three sessions
                assertReached(svc.toUser("alice", "to_user", Map.of("k", 2)), alice);
                // a group
                assertReached(svc.toGroup("room", "to_group", Map.of("k", 3)), room);
                // everyone
                assertReached(svc.toEveryone("to_all", Map.of("k", 4)), Set.copyOf(ids.values()));
                // a filtered broadcast, over the session's snapshot
                assertReached(svc.toMatching("to_filtered", Map.of("k", 5), s -> s.groups().contains("room")
                        || "bob".equals(s.user())), Set.of(ids.get("room1"), ids.get("room2"), ids.get("bystander")));
                // nobody: no targets, no failures
                assertReached(svc.toUser("nobody", "to_nobody", null), Set.of());
                assertReached(svc.toGroup("empty-room", "to_nobody", null), Set.of());
                assertReached(svc.toMatching("to_nobody", null, s -> false), Set.of());

                Map<String, List<String>> expected = Map.of(
                        "single", List.of("to_one", "to_all"),
                        "alice1", List.of("to_user", "to_all"),
                        "alice2", List.of("to_user", "to_all"),
                        "alice3", List.of("to_user", "to_all"),
                        "room1", List.of("to_group", "to_all", "to_filtered"),
                        "room2", List.of("to_group", "to_all", "to_filtered"),
                        "bystander", List.of("to_all", "to_filtered"));
                Map<String, Integer> dataOf = Map.of("to_one", 1, "to_user", 2, "to_group", 3, "to_all", 4,
                        "to_filtered", 5);
                for (Map.Entry<String, TestClient> e : clients.entrySet()) {
                    List<String> got = new ArrayList<>();
                    for (TestClient.Message m : e.getValue().drain(QUIET)) {
                        JsonObject o = m.json();
                        got.add(o.getString("cmd"));
                        assertThat(o.getInt("status")).isZero();
                        assertThat(o.getString("msg")).isEqualTo("ok");
                        assertThat(o.getJsonObject("data").getInt("k")).isEqualTo(dataOf.get(o.getString("cmd")));
                    }
                    // in push order, each exactly once
                    assertThat(got).as("pushes received by %s", e.getKey()).isEqualTo(expected.get(e.getKey()));
                }
            } finally {
                clients.values().forEach(TestClient::close);
            }
        }
    }

    private static void assertReached(java.util.concurrent.CompletionStage<PushResult> stage, Set<String> ids)
            throws Exception {
        PushResult r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.failures()).isEmpty();
        assertThat(r.delivered()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(r.reached()).isEqualTo(ids.size());
        assertThat(r.complete()).isTrue();
        assertThat(r.delivered().stream().collect(Collectors.toSet())).hasSize(ids.size());
    }
}
