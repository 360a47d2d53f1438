package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's example app, exactly as the Core issue describes it, from outside. */
@Timeout(60)
class DemoTest {

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
    void registerAnswersOkAndPushesToTheCallerBothPushes() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"register\",\"seqno\":\"1\",\"data\":{\"uid\":7}}");
            JsonObject have = c.nextJson();
            JsonObject mine = c.nextJson();
            assertThat(c.next().text()).isEqualTo("{\"cmd\":\"register\",\"seqno\":\"1\",\"status\":0,\"msg\":\"ok\",\"data\":{}}");
            assertThat(have.getString("cmd")).isEqualTo("have_user_register");
            assertThat(have.getInt("status")).isZero();
            assertThat(have.getString("msg")).isEqualTo("ok");
            assertThat(have.getString("seqno")).isNotEmpty();
            assertThat(have.getJsonObject("data").toString()).isEqualTo("{\"uid\":7}");
            assertThat(mine.getString("cmd")).isEqualTo("user_register");
            assertThat(mine.getJsonObject("data").toString()).isEqualTo("{\"uid\":7}");
            assertThat(mine.getString("seqno")).isNotEqualTo(have.getString("seqno"));
        }
    }

    @Test
    void everyRegisteredSessionHearsOfANewUserAndOthersDoNot() throws Exception {
        try (TestClient a = TestClient.connect(server.uri());
             TestClient anonymous = TestClient.connect(server.uri());
             TestClient b = TestClient.connect(server.uri())) {
            assertThat(a.request("register", "a1", "{\"uid\":101}").getInt("status")).isZero();
            assertThat(a.awaitPush("have_user_register").getJsonObject("data").getInt("uid")).isEqualTo(101);
            a.awaitPush("user_register");

            assertThat(b.request("register", "b1", "{\"uid\":102}").getInt("status")).isZero();
            assertThat(a.awaitPush("have_user_register").getJsonObject("data").getInt("uid")).isEqualTo(102);
            assertThat(b.awaitPush("have_user_register").getJsonObject("data").getInt("uid")).isEqualTo(102);
            assertThat(b.awaitPush("user_register").getJsonObject("data").getInt("uid")).isEqualTo(102);

            assertThat(a.drain(Duration.ofMillis(300))).isEmpty();
            assertThat(b.drain(Duration.ofMillis(100))).isEmpty();
            assertThat(anonymous.drain(Duration.ofMillis(100))).isEmpty();
        }
    }

    @Test
    void userinfoNeedsRegistrationThenAnswersTheUser() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject denied = c.request("userinfo", "u1", null);
            assertThat(denied.getInt("status")).isEqualTo(401);
            assertThat(denied.getString("msg")).isEqualTo("unauthorized");
            assertThat(denied.getJsonObject("data")).isEmpty();

            c.request("register", "r", "{\"uid\":9}");
            JsonObject info = c.request("userinfo", "u2", null);
            assertThat(info.getInt("status")).isZero();
            assertThat(info.getJsonObject("data").getInt("uid")).isEqualTo(9);
            assertThat(info.getJsonObject("data").getString("name")).isEqualTo("user-9");
        }
    }

    @Test
    void unknownCommandsOfUnregisteredSessionsAreUnauthorizedAndOfRegisteredOnesNotImplement() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.request("nope", "n1", null).getInt("status")).isEqualTo(401);
            c.request("register", "r", "{\"uid\":10}");
            JsonObject r = c.request("nope", "n2", null);
            assertThat(r.getInt("status")).isEqualTo(-1);
            assertThat(r.getString("msg")).isEqualTo("not implement");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"uid\":0}", "{\"uid\":-3}", "{\"uid\":\"7\"}", "{\"uid\":1.5}", "{}", "[7]", "7",
        "{\"uid\":99999999999999999999999}"})
    void registerWithAnythingButAPositiveIntegerUidIs422(String data) throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("register", "bad", data);
            assertThat(r.getInt("status")).isEqualTo(422);
            assertThat(r.getString("msg")).isEqualTo("invalid data");
            assertThat(r.getJsonArray("data").getJsonObject(0).getString("path")).isEqualTo("uid");
            // still not registered
            assertThat(c.request("userinfo", "u", null).getInt("status")).isEqualTo(401);
        }
    }

    @Test
    void registerWithoutDataIs422() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.request("register", "bad", null).getInt("status")).isEqualTo(422);
        }
    }

    @Test
    void thePlaygroundPageIsServedAtTheHttpRoot() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.httpUri().resolve("index.html")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
        HttpResponse<String> client = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.httpUri().resolve("wsrv.js")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.body()).contains("export class WsrvClient");
    }
}
