package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.CloseCodes;
import dev.wsrv.PushResult;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionInfo;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/protocol.md#sessions: whatever closes a session, it leaves every registry before {@code SessionClosed} fires,
 * that event fires exactly once with the right id and user, and pushing to it afterwards reports {@code no such
 * session}. {@code SessionOpened} fires once per connection.
 */
@Timeout(60)
class ClosePathsTest {

    private static final Duration ONCE = Duration.ofMillis(300);

    @Test
    void clientClose() throws Exception {
        try (EmbeddedServer server = PusherServers.start(); RawClient c = new RawClient(server.uri())) {
            String id = rawRequest(c, "whoami", null).getJsonObject("data").getString("id");
            assertThat(rawRequest(c, "login", "{\"name\":\"u-client\"}").getInt("status")).isZero();
            assertThat(rawRequest(c, "join", "{\"name\":\"room\"}").getInt("status")).isZero();
            assertRegistered(server, id, "u-client");

            ByteArrayOutputStream close = new ByteArrayOutputStream();
            close.write(1000 >> 8);
            close.write(1000 & 0xff);
            close.writeBytes("bye".getBytes(StandardCharsets.UTF_8));
            c.send(0x8, close.toByteArray());
            assertThat(c.awaitClose().closeCode()).isEqualTo(1000);

            SessionClosed e = assertClosedOnce(id, "u-client");
            assertThat(e.closeCode()).isEqualTo(1000);
            assertThat(e.reason()).isEqualTo("bye");
            assertGone(server, id, "u-client");
        }
    }

    @Test
    void connectionDropWithoutCloseFrame() throws Exception {
        try (EmbeddedServer server = PusherServers.start()) {
            String id;
            try (RawClient c = new RawClient(server.uri())) {
                id = rawRequest(c, "whoami", null).getJsonObject("data").getString("id");
                assertThat(rawRequest(c, "login", "{\"name\":\"u-drop\"}").getInt("status")).isZero();
                assertThat(rawRequest(c, "join", "{\"name\":\"room\"}").getInt("status")).isZero();
                assertRegistered(server, id, "u-drop");
            }
            SessionClosed e = assertClosedOnce(id, "u-drop");
            assertThat(e.closeCode()).isEqualTo(1006);
            assertGone(server, id, "u-drop");
        }
    }

    @Test
    void idleTimeout() throws Exception {
        try (EmbeddedServer server = PusherServers.start(
                WsrvConfig.DEFAULTS.with("wsrv.idleTimeoutMs", Duration.ofSeconds(1)));
             TestClient c = TestClient.connect(server.uri())) {
            String id = PusherServers.whoami(c);
            PusherServers.login(c, "u-idle");
            PusherServers.join(c, "room");
            assertRegistered(server, id, "u-idle");

            TestClient.Close close = c.awaitClose(Duration.ofSeconds(10));
            // a proper close frame, never a bare drop (docs/protocol.md#heartbeat-and-idle-timeout)
            assertThat(close.code()).isEqualTo(1000);
            SessionClosed e = assertClosedOnce(id, "u-idle");
            // the server closed it, so the event has the server's code and reason, whatever the client echoed
            assertThat(e.closeCode()).isEqualTo(1000);
            assertThat(e.reason()).isEqualTo("idle timeout");
            assertGone(server, id, "u-idle");
        }
    }

    @Test
    void serverClose() throws Exception {
        EmbeddedServer server = PusherServers.start();
        try (TestClient c = TestClient.connect(server.uri())) {
            String id = PusherServers.whoami(c);
            PusherServers.login(c, "u-server");
            PusherServers.join(c, "room");
            assertRegistered(server, id, "u-server");

            server.close();
            assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.GOING_AWAY);
            // the CDI container is gone with the server: what the registries said is in the recorded view
            SessionClosed e = assertClosedOnce(id, "u-server");
            assertThat(e.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        } finally {
            server.close();
        }
    }

    private static void assertRegistered(EmbeddedServer server, String id, String user) {
        PushService svc = PusherServers.service(server);
        assertThat(SessionEventRecorder.opened(id)).hasSize(1);
        assertThat(svc.sessions().find(id)).hasValueSatisfying(s -> {
            assertThat(s.user()).isEqualTo(user);
            assertThat(s.groups()).containsExactly("room");
        });
        assertThat(svc.sessions().ofUser(user)).extracting(SessionInfo::id).containsExactly(id);
        assertThat(svc.sessions().inGroup("room")).extracting(SessionInfo::id).containsExactly(id);
    }

    /** Waits for the event, checks what was true when it fired, and that it fires only once. */
    private static SessionClosed assertClosedOnce(String id, String user) throws Exception {
        await("SessionClosed of " + id).atMost(Duration.ofSeconds(10))
                .until(() -> !SessionEventRecorder.closed(id).isEmpty());
        // and no second one follows
        await("a single SessionClosed of " + id).during(ONCE).atMost(ONCE.plusSeconds(1))
                .until(() -> SessionEventRecorder.closed(id).size() == 1);
        SessionEventRecorder.ClosedView v = SessionEventRecorder.closed(id).get(0);
        assertThat(v.event().id()).isEqualTo(id);
        assertThat(v.event().user()).isEqualTo(user);
        // it had already left every registry when the event fired
        assertThat(v.stillFound()).isFalse();
        assertThat(v.stillListed()).isFalse();
        assertThat(v.userSessions()).isEmpty();
        assertThat(v.watchedGroupMembers()).doesNotContain(id);
        assertThat(v.pushAfterClose().delivered()).isEmpty();
        assertThat(v.pushAfterClose().failures())
                .containsExactly(new PushResult.Failure(id, PushResult.NO_SUCH_SESSION));
        assertThat(SessionEventRecorder.opened(id)).hasSize(1);
        return v.event();
    }

    private static void assertGone(EmbeddedServer server, String id, String user) throws Exception {
        PushService svc = PusherServers.service(server);
        assertThat(svc.sessions().find(id)).isEmpty();
        assertThat(svc.sessions().ids()).doesNotContain(id);
        assertThat(svc.sessions().ofUser(user)).isEmpty();
        assertThat(svc.sessions().inGroup("room")).isEmpty();
        PushResult r = svc.toSession(id, "late", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(r.delivered()).isEmpty();
        assertThat(r.failures()).containsExactly(new PushResult.Failure(id, PushResult.NO_SUCH_SESSION));
        PushResult toUser = svc.toUser(user, "late", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(toUser.reached()).isZero();
        assertThat(toUser.failures()).isEmpty();
        PushResult toGroup = svc.toGroup("room", "late", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(toGroup.reached()).isZero();
        assertThat(svc.toEveryone("late", null).toCompletableFuture().get(5, TimeUnit.SECONDS).delivered())
                .doesNotContain(id);
    }

    private static JsonObject rawRequest(RawClient c, String cmd, String data) throws Exception {
        c.sendText(("{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + cmd + "\"" + (data == null ? "" : ",\"data\":" + data)
                + "}").getBytes(StandardCharsets.UTF_8));
        RawClient.Frame f = c.read();
        assertThat(f.opcode()).isEqualTo(0x1);
        JsonObject o = Json.createReader(new StringReader(f.text())).readObject();
        assertThat(o.getString("seqno")).isEqualTo(cmd);
        return o;
    }
}
