package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.Targets;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo's operator console on every target, embedded and in the WAR: its page, a session a client opened, and a
 * push and a close sent from it.
 */
@Timeout(180)
class ConsoleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void theConsoleListsAClientsSessionAndPushesToItAndClosesIt(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        HttpResponse<String> page = send(HttpRequest.newBuilder(target.httpBase().resolve("console/")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>wsrv console</title>");

        long uid = 7_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        try (TestClient client = TestClient.connect(target.wsUri())) {
            assertThat(client.request("register", "r", "{\"uid\":" + uid + "}").getInt("status")).isZero();

            JsonObject listed = json(send(HttpRequest.newBuilder(
                    target.httpBase().resolve("console/api/sessions?user=" + uid))));
            JsonArray sessions = listed.getJsonArray("sessions");
            assertThat(sessions).hasSize(1);
            JsonObject entry = sessions.getJsonObject(0);
            assertThat(entry.getString("user")).isEqualTo(Long.toString(uid));
            assertThat(entry.getString("node")).isEqualTo("local");
            assertThat(entry.getString("remoteAddress")).isEqualTo("127.0.0.1");
            String id = entry.getString("id");

            HttpResponse<String> pushed = action(target, "console/api/push",
                    "{\"target\":\"session\",\"to\":\"" + id + "\",\"cmd\":\"console_notice\",\"data\":{\"n\":1}}");
            assertThat(pushed.statusCode()).isEqualTo(200);
            assertThat(json(pushed).getInt("delivered")).isEqualTo(1);
            assertThat(client.awaitPush("console_notice").getJsonObject("data").getInt("n")).isEqualTo(1);

            JsonObject state = json(send(HttpRequest.newBuilder(target.httpBase().resolve("console/api/state"))));
            assertThat(state.getJsonObject("totals").getJsonObject("commands").getJsonObject("register")
                    .getJsonObject("statuses").getJsonNumber("0").longValue()).isPositive();

            HttpResponse<String> closed = action(target, "console/api/close",
                    "{\"session\":\"" + id + "\",\"code\":4000,\"reason\":\"closed by an operator\"}");
            assertThat(closed.statusCode()).isEqualTo(200);
            assertThat(client.awaitClose()).isEqualTo(new TestClient.Close(4000, "closed by an operator"));
        }
    }

    private static HttpResponse<String> action(Target target, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(target.httpBase().resolve(path))
                .header("Content-Type", "application/json").header("X-Wsrv-Console", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
