package dev.wsrv.it.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.CloseCodes;
import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionOpened;
import dev.wsrv.SessionResumed;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resumable sessions on the wire (docs/protocol.md#resumable-sessions), with a raw WebSocket client behind a fault
 * proxy: the session message, numbered pushes, the replay after a drop, each reason for a session that is not
 * recovered, one live connection per session, the heartbeat echo, and a plain client that sees nothing of it.
 */
@Timeout(60)
class ResumeProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedServer server;
    private FaultProxy proxy;
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(WsrvConfig.Resume resume) throws Exception {
        server = EmbeddedServer.builder().port(0).config(WsrvConfig.DEFAULTS.withResume(resume))
                .beanClasses(ResumeBeans.ALL).start();
        proxy = FaultProxy.to(server.uri());
    }

    private TestClient connect(String query) throws Exception {
        TestClient c = TestClient.connect(URI.create(proxy.via(server.uri()) + query));
        clients.add(c);
        return c;
    }

    private Pusher pusher() {
        return server.container().select(Pusher.class).get();
    }

    private static JsonObject sessionMessage(TestClient c) throws Exception {
        JsonObject m = c.nextJson();
        assertThat(m.getString("cmd")).isEqualTo("wsrv.session");
        assertThat(m.getString("seqno")).isEmpty();
        assertThat(m.getInt("status")).isZero();
        return m.getJsonObject("data");
    }

    private static String resumeQuery(JsonObject session, String last, String user) {
        return "?wsrv.resume=" + session.getString("token") + (last == null ? "" : "&wsrv.last=" + last)
                + (user == null ? "" : "&user=" + user);
    }

    private static PushResult get(java.util.concurrent.CompletionStage<PushResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Opens a resumable session, cuts its connection and waits until the server has detached it. */
    private JsonObject detachedSession(String query) throws Exception {
        JsonObject s = sessionMessage(connect(query));
        proxy.cut();
        awaitDetached(s.getString("id"));
        return s;
    }

    private void awaitDetached(String id) {
        await("session " + id + " detached").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionDetached.class, id).size() == 1);
    }

    @Test
    void aNewResumableSessionGetsItsSessionMessageFirstAndNumberedPushes() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        TestClient c = connect("?wsrv.resume=new");
        JsonObject s = sessionMessage(c);
        String id = s.getString("id");
        assertThat(s.getBoolean("recovered")).isFalse();
        assertThat(s.getString("reason")).isEqualTo("new");
        assertThat(s.getString("token")).matches("n1\\." + id + "\\.[A-Za-z0-9_-]{43}");
        assertThat(c.request("whoami", "1", null).getJsonObject("data").getString("id")).isEqualTo(id);
        List<String> seqnos = new ArrayList<>();
        for (int i = 1; i <= 37; i++) {
            get(pusher().push(id, "n", Map.of("i", i)));
            JsonObject push = c.awaitPush("n");
            assertThat(push.getJsonObject("data").getInt("i")).isEqualTo(i);
            seqnos.add(push.getString("seqno"));
        }
        String prefix = seqnos.get(0).substring(0, 10);
        assertThat(prefix).matches("[A-Za-z0-9]{10}");
        for (int i = 1; i <= 37; i++) {
            assertThat(seqnos.get(i - 1)).isEqualTo(prefix + "-" + Long.toString(i, 36));
        }
    }

    @Test
    void aResumeWithinTheWindowKeepsTheSessionAndReplaysWhatWasMissedOnceInOrder() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        TestClient c = connect("?wsrv.resume=new");
        JsonObject s = sessionMessage(c);
        String id = s.getString("id");
        c.request("login", "1", "{\"name\":\"ann\"}");
        c.request("join", "2", "{\"name\":\"room\"}");
        c.request("note", "3", "{\"name\":\"kept\"}");
        get(pusher().pushToUser("ann", "p", Map.of("i", 1)));
        String last = c.awaitPush("p").getString("seqno");

        proxy.cut();
        awaitDetached(id);
        assertThat(ResumeBeans.Events.of(SessionDetached.class, id).get(0).closeCode()).isEqualTo(1006);
        PushResult toUser = get(pusher().pushToUser("ann", "p", Map.of("i", 2)));
        PushResult toGroup = get(pusher().pushToGroup("room", "p", Map.of("i", 3)));
        PushResult toSession = get(pusher().push(id, "p", Map.of("i", 4)));
        for (PushResult r : List.of(toUser, toGroup, toSession)) {
            assertThat(r.buffered()).containsExactly(id);
            assertThat(r.delivered()).isEmpty();
            assertThat(r.failures()).isEmpty();
        }

        TestClient again = connect(resumeQuery(s, last, null));
        JsonObject resumed = sessionMessage(again);
        assertThat(resumed.getString("id")).isEqualTo(id);
        assertThat(resumed.getBoolean("recovered")).isTrue();
        assertThat(resumed.getInt("replayed")).isEqualTo(3);
        assertThat(resumed.getString("token")).isNotEqualTo(s.getString("token"));
        String prefix = last.substring(0, 10);
        for (int i = 2; i <= 4; i++) {
            JsonObject p = again.nextJson();
            assertThat(p.getJsonObject("data").getInt("i")).isEqualTo(i);
            assertThat(p.getString("seqno")).isEqualTo(prefix + "-" + i);
        }
        JsonObject who = again.request("whoami", "4", null).getJsonObject("data");
        assertThat(who.getString("id")).isEqualTo(id);
        assertThat(who.getString("user")).isEqualTo("ann");
        assertThat(who.getString("note")).isEqualTo("kept");
        PushResult live = get(pusher().pushToGroup("room", "p", Map.of("i", 5)));
        assertThat(live.delivered()).containsExactly(id);
        assertThat(again.awaitPush("p").getString("seqno")).isEqualTo(prefix + "-5");
        assertThat(ResumeBeans.Events.of(SessionResumed.class, id))
                .containsExactly(new SessionResumed(id, "ann", 3));
        assertThat(ResumeBeans.Events.of(SessionOpened.class, id)).hasSize(1);
        assertThat(ResumeBeans.Events.of(SessionClosed.class, id)).isEmpty();
    }

    @Test
    void aResumedSessionIsDetachedAgainAtTheNextDrop() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        JsonObject s = detachedSession("?wsrv.resume=new");
        String id = s.getString("id");
        JsonObject resumed = sessionMessage(connect(resumeQuery(s, null, null)));
        assertThat(resumed.getBoolean("recovered")).isTrue();
        proxy.cut();
        await("detached again").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionDetached.class, id).size() == 2);
        JsonObject third = sessionMessage(connect(resumeQuery(resumed, null, null)));
        assertThat(third.getBoolean("recovered")).isTrue();
        assertThat(ResumeBeans.Events.of(SessionClosed.class, id)).isEmpty();
    }

    @Test
    void afterTheWindowTheSessionClosesAndAResumeIsANewSessionWithReasonExpired() throws Exception {
        start(new WsrvConfig.Resume(Duration.ofMillis(300), 1000, 1 << 20, 64 << 20));
        JsonObject s = detachedSession("?wsrv.resume=new");
        String id = s.getString("id");
        await("the window ends").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionClosed.class, id).size() == 1);
        assertThat(ResumeBeans.Events.of(SessionClosed.class, id).get(0).closeCode()).isEqualTo(1006);
        assertThat(get(pusher().push(id, "p", null)).failures())
                .containsExactly(new PushResult.Failure(id, PushResult.NO_SUCH_SESSION));

        JsonObject again = sessionMessage(connect(resumeQuery(s, null, null)));
        assertThat(again.getBoolean("recovered")).isFalse();
        assertThat(again.getString("reason")).isEqualTo("expired");
        assertThat(again.getString("id")).isNotEqualTo(id);
    }

    @Test
    void aForgedTokenOrAnotherUsersTokenIsRefusedAndTheSessionStaysResumableByItsOwner() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        JsonObject s = detachedSession("?wsrv.resume=new&user=alice");
        String id = s.getString("id");
        get(pusher().push(id, "p", Map.of("i", 1)));

        String token = s.getString("token");
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        JsonObject byForger = sessionMessage(connect("?wsrv.resume=" + forged + "&user=alice"));
        JsonObject byBob = sessionMessage(connect("?wsrv.resume=" + token + "&user=bob"));
        JsonObject byAnonymous = sessionMessage(connect("?wsrv.resume=" + token));
        JsonObject garbage = sessionMessage(connect("?wsrv.resume=" + "x".repeat(300) + "&user=alice"));
        for (JsonObject refused : List.of(byForger, byBob, byAnonymous, garbage)) {
            assertThat(refused.getBoolean("recovered")).isFalse();
            assertThat(refused.getString("reason")).isEqualTo("unknown-token");
            assertThat(refused.getString("id")).isNotEqualTo(id);
        }

        TestClient back = connect(resumeQuery(s, null, "alice"));
        JsonObject resumed = sessionMessage(back);
        assertThat(resumed.getBoolean("recovered")).isTrue();
        assertThat(resumed.getString("id")).isEqualTo(id);
        assertThat(back.awaitPush("p").getJsonObject("data").getInt("i")).isEqualTo(1);
        JsonObject reused = sessionMessage(connect(resumeQuery(s, null, "alice")));
        assertThat(reused.getString("reason")).isEqualTo("unknown-token");
    }

    @Test
    void aResumeOfAnAttachedSessionClosesTheOldConnectionWith4001() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        TestClient old = connect("?wsrv.resume=new");
        JsonObject s = sessionMessage(old);
        String id = s.getString("id");
        TestClient next = connect(resumeQuery(s, null, null));
        JsonObject resumed = sessionMessage(next);
        assertThat(resumed.getBoolean("recovered")).isTrue();
        assertThat(old.awaitClose()).isEqualTo(new TestClient.Close(CloseCodes.RESUMED_ELSEWHERE,
                "resumed elsewhere"));
        assertThat(next.request("whoami", "1", null).getJsonObject("data").getString("id")).isEqualTo(id);
        assertThat(get(pusher().push(id, "p", null)).delivered()).containsExactly(id);
        assertThat(next.awaitPush("p").getString("seqno")).endsWith("-1");
        assertThat(ResumeBeans.Events.of(SessionDetached.class, id)).isEmpty();
        assertThat(ResumeBeans.Events.of(SessionClosed.class, id)).isEmpty();
    }

    @Test
    void moreMissedPushesThanTheBoundEndTheRecovery() throws Exception {
        start(new WsrvConfig.Resume(Duration.ofMinutes(2), 5, 1 << 20, 64 << 20));
        JsonObject s = detachedSession("?wsrv.resume=new");
        String id = s.getString("id");
        for (int i = 1; i <= 5; i++) {
            assertThat(get(pusher().push(id, "p", Map.of("i", i))).buffered()).containsExactly(id);
        }
        PushResult sixth = get(pusher().push(id, "p", Map.of("i", 6)));
        assertThat(sixth.buffered()).isEmpty();
        assertThat(sixth.failures()).containsExactly(new PushResult.Failure(id, PushResult.BUFFER_FULL));
        await("the recovery ends").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionClosed.class, id).size() == 1);
        JsonObject again = sessionMessage(connect(resumeQuery(s, null, null)));
        assertThat(again.getBoolean("recovered")).isFalse();
        assertThat(again.getString("reason")).isEqualTo("buffer-full");
    }

    @Test
    void aResumableSessionEchoesEachHeartbeatInItsFrameType() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        TestClient c = connect("?wsrv.resume=new");
        sessionMessage(c);
        c.sendText("");
        assertThat(c.next()).isEqualTo(new TestClient.Message("", false));
        c.sendBinary(new byte[0]);
        assertThat(c.next()).isEqualTo(new TestClient.Message("", true));
        // the echo goes out at once, before the reply to a request that follows the heartbeat
        c.sendText("");
        c.sendText("{\"cmd\":\"whoami\",\"seqno\":\"1\"}");
        assertThat(c.next()).isEqualTo(new TestClient.Message("", false));
        assertThat(c.nextJson().getString("cmd")).isEqualTo("whoami");
    }

    @Test
    void aPlainClientSeesTheProtocolAsBefore() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        TestClient a = connect("");
        TestClient b = connect("");
        String idA = a.request("whoami", "1", null).getJsonObject("data").getString("id");
        b.request("whoami", "1", null);
        get(pusher().broadcast("all", Map.of("x", 1)));
        JsonObject pa = a.awaitPush("all");
        JsonObject pb = b.awaitPush("all");
        assertThat(pa.toString()).isEqualTo(pb.toString());
        assertThat(pa.getString("seqno")).matches("[A-Za-z0-9]{10}-[0-9a-z]+");
        a.sendText("");
        assertThat(a.drain(Duration.ofMillis(300))).isEmpty();
        proxy.cut();
        await("the plain session closes at the drop").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionClosed.class, idA).size() == 1);
        assertThat(ResumeBeans.Events.of(SessionDetached.class, idA)).isEmpty();
    }

    @Test
    void withResumptionOffAClientThatAsksGetsThePlainProtocol() throws Exception {
        start(WsrvConfig.Resume.OFF);
        TestClient c = connect("?wsrv.resume=new");
        JsonObject who = c.request("whoami", "1", null);
        assertThat(who.getString("cmd")).isEqualTo("whoami");
        assertThat(c.drain(Duration.ofMillis(200))).isEmpty();
    }
}
