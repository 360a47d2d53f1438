package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static dev.wsrv.client.Waits.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against the real demo server. */
@Timeout(60)
class DemoClientTest {

    /** The demo's {@code userinfo} reply. */
    public record UserInfo(long uid, String name) {
    }

    /** The data of the demo's register pushes. */
    public record Uid(long uid) {
    }

    static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = DemoMain.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsAnswerUntypedAndTyped() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThat(c.isConnected()).isTrue();
            JsonValue registered = await(c.request("register", Map.of("uid", 7)));
            assertThat(registered).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);

            JsonObject raw = await(c.request("userinfo", null)).asJsonObject();
            assertThat(raw.getJsonNumber("uid").longValue()).isEqualTo(7);
            assertThat(raw.getString("name")).isEqualTo("user-7");

            assertThat(await(c.request("userinfo", null, UserInfo.class))).isEqualTo(new UserInfo(7, "user-7"));
            assertThat(await(c.request("userinfo", null, JsonObject.class)).getString("name")).isEqualTo("user-7");
            Type mapType = Map.class;
            Map<String, Object> map = await(c.request("userinfo", null, RequestOptions.<Map<String, Object>>replyAs(mapType).withTimeout(WAIT)));
            assertThat(map).containsEntry("name", "user-7");
        }
    }

    @Test
    void nonZeroStatusesFailWithTheReplysFields() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            Throwable unauthorized = failure(c.request("userinfo", null));
            assertThat(unauthorized).isInstanceOf(WsrvStatusException.class);
            assertThat(((WsrvStatusException) unauthorized).status()).isEqualTo(401);
            assertThat(((WsrvStatusException) unauthorized).msg()).isEqualTo("unauthorized");

            Throwable t = failure(c.request("register", Map.of("uid", -3)));
            assertThat(t).isInstanceOf(WsrvStatusException.class);
            WsrvStatusException e = (WsrvStatusException) t;
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.msg()).isEqualTo("invalid data");
            assertThat(e.cmd()).isEqualTo("register");
            assertThat(e.seqno()).isNotBlank();
            assertThat(e.getMessage()).isEqualTo("wsrv: register (seqno " + e.seqno()
                    + ") failed with status 422: invalid data: uid: must be a positive integer");
            JsonArray problems = e.data().asJsonArray();
            assertThat(problems).hasSize(1);
            assertThat(problems.getJsonObject(0).getString("path")).isEqualTo("uid");
            assertThat(problems.getJsonObject(0).getString("message")).isEqualTo("must be a positive integer");
            List<Map<String, String>> bound = e.data(List.class);
            assertThat(bound).hasSize(1);

            await(c.request("register", Map.of("uid", 8)));
            WsrvStatusException unknown = (WsrvStatusException) failure(c.request("no_such_cmd", "x"));
            assertThat(unknown.status()).isEqualTo(-1);
            assertThat(unknown.msg()).isEqualTo("not implement");
            assertThat(unknown.cmd()).isEqualTo("no_such_cmd");
        }
    }

    @Test
    void callsReturnTheDataOrThrowTheStatusWithTheProblems() {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            assertThatThrownBy(() -> c.call("userinfo", null))
                    .isExactlyInstanceOf(WsrvStatusException.class)
                    .hasMessageEndingWith(") failed with status 401: unauthorized");
            assertThatThrownBy(() -> c.call("register", Map.of("uid", 0)))
                    .isExactlyInstanceOf(WsrvStatusException.class)
                    .hasMessageStartingWith("wsrv: register (seqno ")
                    .hasMessageEndingWith(") failed with status 422: invalid data: uid: must be a positive integer");
            assertThat(c.call("register", Map.of("uid", 9))).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
            assertThat(c.call("userinfo", null, UserInfo.class)).isEqualTo(new UserInfo(9, "user-9"));
        }
    }

    @Test
    void pushesReachTheirListenersUntilUnsubscribed() throws Exception {
        try (WsrvClient c = WsrvClient.connect(server.uri())) {
            LinkedBlockingQueue<Push> mine = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<Push> all = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
            Subscription s = c.onPush("user_register", p -> {
                threads.add(Thread.currentThread().getName());
                mine.add(p);
            });
            c.onPush("*", all::add);

            await(c.request("register", Map.of("uid", 11)));
            Push p = mine.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).isNotNull();
            assertThat(p.cmd()).isEqualTo("user_register");
            assertThat(p.status()).isZero();
            assertThat(p.msg()).isEqualTo("ok");
            assertThat(p.seqno()).isNotBlank();
            assertThat(p.data(Uid.class)).isEqualTo(new Uid(11));
            assertThat(threads.poll()).contains("events");

            // the "*" listener sees both pushes, in the server's order
            Push first = all.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Push second = all.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first.cmd()).isEqualTo("have_user_register");
            assertThat(second.cmd()).isEqualTo("user_register");

            s.close();
            s.close(); // idempotent
            await(c.request("register", Map.of("uid", 12)));
            // wait for the second user_register through the "*" listener, which runs after the cmd's listeners
            Push again;
            do {
                again = all.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(again).isNotNull();
            } while (!again.cmd().equals("user_register"));
            assertThat(again.data(Uid.class)).isEqualTo(new Uid(12));
            assertThat(mine).isEmpty();
        }
    }

    @Test
    void otherSessionsGetTheBroadcast() throws Exception {
        try (WsrvClient a = WsrvClient.connect(server.uri()); WsrvClient b = WsrvClient.connect(server.uri())) {
            await(a.request("register", Map.of("uid", 21)));
            LinkedBlockingQueue<Push> seen = new LinkedBlockingQueue<>();
            a.onPush("have_user_register", seen::add);
            await(b.request("register", Map.of("uid", 22)));
            // a's own broadcast may still be on its way to the new listener: look for b's
            Push p;
            do {
                p = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(p).isNotNull();
            } while (p.data(Uid.class).uid() != 22);
            assertThat(p.cmd()).isEqualTo("have_user_register");
        }
    }
}
