package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/protocol.md#push: the push envelope, its generated seqno, and no mutation of the caller's data. */
@Timeout(60)
class PushEnvelopeTest {

    /** A mutable bean, as an application would push it. */
    public static class Profile {
        private String name;
        private int age;
        private List<String> tags = new ArrayList<>();
        private String seqno;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getAge() {
            return age;
        }

        public void setAge(int age) {
            this.age = age;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }

        /** A field named like an envelope field, which the Go library overwrote. */
        public String getSeqno() {
            return seqno;
        }

        public void setSeqno(String seqno) {
            this.seqno = seqno;
        }
    }

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> PusherServers.configure(b, WsrvConfig.DEFAULTS));
    static PushService svc;

    @BeforeAll
    static void service() {
        svc = PusherServers.service(server.server());
    }

    @Test
    void pushHasStatusZeroOkAndAGeneratedSeqnoUniqueAcrossPushes() throws Exception {
        try (TestClient a = TestClient.connect(server.uri()); TestClient b = TestClient.connect(server.uri())) {
            String idA = PusherServers.whoami(a);
            PusherServers.whoami(b);
            Set<String> seqnos = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                svc.toSession(idA, "note", Map.of("i", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 200; i++) {
                JsonObject o = a.awaitPush("note");
                assertThat(o.keySet()).containsExactly("cmd", "seqno", "status", "msg", "data");
                assertThat(o.getInt("status")).isZero();
                assertThat(o.getString("msg")).isEqualTo("ok");
                assertThat(o.getJsonObject("data").getInt("i")).isEqualTo(i);
                assertThat(o.getString("seqno")).isNotBlank();
                assertThat(seqnos.add(o.getString("seqno"))).as("seqno %s is new", o.getString("seqno")).isTrue();
            }
            // broadcasts and ctx.push get fresh seqnos too
            svc.toEveryone("all", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            JsonObject toA = a.awaitPush("all");
            JsonObject toB = b.awaitPush("all");
            assertThat(toA.getJsonObject("data")).isEmpty();
            // one broadcast is one push: its copies may share a seqno, which no earlier push used
            assertThat(seqnos).doesNotContain(toA.getString("seqno"), toB.getString("seqno"));
            seqnos.add(toA.getString("seqno"));
            seqnos.add(toB.getString("seqno"));
            assertThat(a.request("selfpush", "sp", "{\"name\":\"self\"}").getJsonObject("data").getInt("reached"))
                    .isEqualTo(1);
            JsonObject self = a.awaitPush("self");
            assertThat(self.getInt("status")).isZero();
            assertThat(self.getString("msg")).isEqualTo("ok");
            assertThat(self.getString("seqno")).isNotBlank().isNotEqualTo("sp");
            assertThat(seqnos.add(self.getString("seqno"))).isTrue();
            assertThat(a.messagesBefore("echo")).isEmpty();
        }
    }

    @Test
    void pushesUseTheConfiguredFrameTypeAndReachASessionFromItsOpenedObserver() throws Exception {
        WsrvConfig binary = WsrvConfig.DEFAULTS.with("wsrv.pushFrameType", WsrvConfig.FrameType.BINARY);
        try (EmbeddedServer s = EmbeddedServer.builder().port(0).config(binary)
                .beanClasses(PushCommands.class, PushService.class, WelcomeOnOpen.class).start();
             TestClient c = TestClient.connect(s.uri())) {
            // the session is registered before SessionOpened fires, so the observer's push reaches it, first
            TestClient.Message welcome = c.next();
            assertThat(welcome.binary()).isTrue();
            assertThat(welcome.json().getString("cmd")).isEqualTo("welcome");
            String id = welcome.json().getJsonObject("data").getString("id");
            // a response keeps the request's frame type; a push uses the configured one
            c.sendText("{\"cmd\":\"whoami\",\"seqno\":\"w\"}");
            TestClient.Message reply = c.next();
            assertThat(reply.binary()).isFalse();
            assertThat(reply.json().getJsonObject("data").getString("id")).isEqualTo(id);
            PushResult r = s.container().select(PushService.class).get().toSession(id, "bin", Map.of("b", true))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(r.delivered()).containsExactly(id);
            TestClient.Message push = c.next();
            assertThat(push.binary()).isTrue();
            assertThat(push.json().getString("cmd")).isEqualTo("bin");
            assertThat(push.json().getJsonObject("data").getBoolean("b")).isTrue();
            assertThat(c.messagesBefore("echo")).isEmpty();
        }
    }

    @Test
    void pushingNeverMutatesTheCallersObjects() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            String id = PusherServers.whoami(c);

            Profile p = new Profile();
            p.setName("ann");
            p.setAge(7);
            p.getTags().add("a");
            List<String> tags = p.getTags();
            PushResult r = svc.toSession(id, "profile", p).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(r.delivered()).containsExactly(id);
            JsonObject got = c.awaitPush("profile");
            assertThat(got.getString("seqno")).isNotBlank();
            assertThat(got.getJsonObject("data").getString("name")).isEqualTo("ann");
            assertThat(got.getJsonObject("data").containsKey("seqno")).isFalse();
            assertThat(p.getName()).isEqualTo("ann");
            assertThat(p.getAge()).isEqualTo(7);
            assertThat(p.getSeqno()).isNull();
            assertThat(p.getTags()).isSameAs(tags).containsExactly("a");

            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("list", new ArrayList<>(List.of(1, 2)));
            Map<String, Object> map = new HashMap<>();
            map.put("uid", 7);
            map.put("nested", nested);
            Map<String, Object> before = Map.of("uid", 7, "nested", Map.of("list", List.of(1, 2)));
            svc.toEveryone("map", map).toCompletableFuture().get(5, TimeUnit.SECONDS);
            svc.toUser("nobody", "map", map).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(map).isEqualTo(before);
            assertThat(c.awaitPush("map").getJsonObject("data").getInt("uid")).isEqualTo(7);

            // serialised when pushed: a change made right after the call does not leak into the message
            Map<String, Object> changing = new HashMap<>(Map.of("v", "before"));
            var stage = svc.toSession(id, "changing", changing);
            changing.put("v", "after");
            stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(c.awaitPush("changing").getJsonObject("data").getString("v")).isEqualTo("before");
        }
    }
}
