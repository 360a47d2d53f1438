package dev.wsrv.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.session.SessionDirectory;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console over HTTP on a real embedded server, with real WebSocket clients making its numbers. */
@Timeout(60)
class ConsoleHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "Bearer let-me-in";

    private EmbeddedServer server;

    /** Accepts the one bearer token of these tests. */
    @ApplicationScoped
    public static class TokenAuthenticator implements ConsoleAuthenticator {
        @Override
        public boolean accepts(ConsoleRequest request) {
            return TOKEN.equals(request.header("Authorization"));
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EmbeddedServer start(ConsoleConfig config, Class<?>... beans) {
        server = EmbeddedConsole.install(EmbeddedServer.builder().port(0), config)
                .beanClasses(beans)
                .handle("join", ctx -> {
                    ctx.bindUser(ctx.data().asJsonObject().getString("user"));
                    ctx.join("ops");
                    ctx.ok(Map.of("id", ctx.sessionId()));
                })
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("fail", ctx -> ctx.error(409, "conflict"))
                .start();
        return server;
    }

    private URI console(String path) {
        return server.httpUri().resolve("/console/" + path);
    }

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> action(URI uri, String json) throws Exception {
        return post(uri, json, "Content-Type", "application/json", "X-Wsrv-Console", "1");
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).as(r.headers().map() + " " + r.body().length()).hasValue("application/json");
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private JsonObject totals() throws Exception {
        HttpResponse<String> r = get(console("api/state"));
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).getJsonObject("totals");
    }

    @Test
    void theStateCountsAScriptedWorkloadExactly() throws Exception {
        start(new ConsoleConfig(false, "/console", false));
        try (TestClient ann = TestClient.connect(server.uri()); TestClient bob = TestClient.connect(server.uri())) {
            String annId = ann.request("join", "1", "{\"user\":\"ann\"}").getJsonObject("data").getString("id");
            assertThat(bob.request("join", "1", "{\"user\":\"bob\"}").getInt("status")).isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(ann.request("echo", "e" + i, "{\"n\":" + i + "}").getInt("status")).isZero();
            }
            assertThat(bob.request("fail", "f", null).getInt("status")).isEqualTo(409);
            assertThat(bob.request("no-such-command", "u", null).getInt("status")).isEqualTo(-1);
            assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", "http://elsewhere.example")))
                    .isEqualTo(403);

            HttpResponse<String> pushed = action(console("api/push"),
                    "{\"target\":\"user\",\"to\":\"ann\",\"cmd\":\"notice\",\"data\":{\"text\":\"hi\"}}");
            assertThat(pushed.statusCode()).isEqualTo(200);
            assertThat(json(pushed)).isEqualTo(Json.createReader(new StringReader(
                    "{\"delivered\":1,\"buffered\":0,\"failed\":0,\"remoteNodes\":0}")).readObject());
            assertThat(ann.awaitPush("notice").getJsonObject("data").getString("text")).isEqualTo("hi");

            HttpResponse<String> closed = action(console("api/close"),
                    "{\"session\":\"" + annId + "\",\"code\":4000,\"reason\":\"closed by an operator\"}");
            assertThat(closed.statusCode()).isEqualTo(200);
            assertThat(closed.body()).isEqualTo("{\"closed\":true}");
            assertThat(ann.awaitClose()).isEqualTo(new TestClient.Close(4000, "closed by an operator"));
            assertThat(action(console("api/close"), "{\"session\":\"" + annId + "\",\"code\":4000}").statusCode())
                    .isEqualTo(404);

            await().atMost(Duration.ofSeconds(10)).until(() -> totals().getInt("sessions") == 1);
            JsonObject t = totals();
            assertThat(t.getJsonNumber("opened").longValue()).isEqualTo(2);
            assertThat(t.getJsonNumber("requests").longValue()).isEqualTo(7);
            assertThat(t.getJsonNumber("errors").longValue()).isEqualTo(2);
            assertThat(t.getJsonNumber("refusals").longValue()).isEqualTo(1);
            assertThat(t.getJsonObject("refusalsByKind").toString()).isEqualTo("{\"handshake 403\":1}");
            assertThat(t.getJsonObject("closesByCode").toString()).isEqualTo("{\"4000\":1}");
            assertThat(t.getJsonObject("pushesByKind").toString()).isEqualTo("{\"user\":1}");
            JsonObject commands = t.getJsonObject("commands");
            assertThat(commands.keySet()).containsExactly("UNKNOWN", "echo", "fail", "join");
            assertThat(commands.getJsonObject("echo").getJsonObject("statuses").toString()).isEqualTo("{\"0\":3}");
            assertThat(commands.getJsonObject("join").getJsonObject("statuses").toString()).isEqualTo("{\"0\":2}");
            assertThat(commands.getJsonObject("fail").getJsonObject("statuses").toString()).isEqualTo("{\"409\":1}");
            assertThat(commands.getJsonObject("UNKNOWN").getJsonObject("statuses").toString())
                    .isEqualTo("{\"-1\":1}");
            assertThat(commands.getJsonObject("echo").getJsonNumber("p99Ms").doubleValue()).isPositive();

            JsonObject series = json(get(console("api/state"))).getJsonObject("series");
            assertThat(series.getJsonArray("requests")).hasSize(ConsoleStats.WINDOW_SECONDS);
            assertThat(series.getJsonArray("requests").getValuesAs(jakarta.json.JsonNumber.class).stream()
                    .mapToLong(jakarta.json.JsonNumber::longValue).sum()).isEqualTo(7);
            assertThat(series.getJsonArray("sessions").getJsonNumber(ConsoleStats.WINDOW_SECONDS - 1).intValue())
                    .isEqualTo(1);

            JsonObject sessions = json(get(console("api/sessions?group=ops")));
            assertThat(sessions.getString("node")).isEqualTo("local");
            assertThat(sessions.getJsonArray("sessions")).hasSize(1);
            JsonObject entry = sessions.getJsonArray("sessions").getJsonObject(0);
            assertThat(entry.getString("user")).isEqualTo("bob");
            assertThat(entry.getString("node")).isEqualTo("local");
            assertThat(entry.getJsonArray("groups").toString()).isEqualTo("[\"ops\"]");
            assertThat(entry.getString("remoteAddress")).isEqualTo("127.0.0.1");
            assertThat(entry.getInt("queuedMessages")).isZero();
            assertThat(sessions.getJsonArray("silentNodes")).isEmpty();
            assertThat(json(get(console("api/sessions?user=ann"))).getJsonArray("sessions")).isEmpty();
        }
    }

    /** A cluster's directory in which one of two other nodes did not answer in time. */
    @Alternative
    @Priority(100)
    @ApplicationScoped
    public static class OneNodeSilent implements SessionDirectory {
        @Override
        public String node() {
            return "node-a";
        }

        @Override
        public CompletionStage<List<Entry>> list(String user, String group, int limit) {
            return listing(user, group, limit).thenApply(Listing::entries);
        }

        @Override
        public CompletionStage<Listing> listing(String user, String group, int limit) {
            Entry remote = new Entry("s-b", "node-b", "cy", Set.of(), "10.0.0.9", Instant.EPOCH, false, 2, 40);
            return CompletableFuture.completedFuture(new Listing(List.of(remote), Set.of("node-c")));
        }

        @Override
        public CompletionStage<Boolean> close(String sessionId, int code, String reason) {
            return CompletableFuture.completedFuture(false);
        }
    }

    @Test
    void theSessionsNameTheNodesThatDidNotAnswerInTime() throws Exception {
        start(new ConsoleConfig(false, "/console", false), OneNodeSilent.class);
        JsonObject sessions = json(get(console("api/sessions")));
        assertThat(sessions.getString("node")).isEqualTo("node-a");
        assertThat(sessions.getJsonArray("silentNodes").toString()).isEqualTo("[\"node-c\"]");
        JsonObject entry = sessions.getJsonArray("sessions").getJsonObject(0);
        assertThat(entry.getString("node")).isEqualTo("node-b");
        assertThat(entry.getString("remoteAddress")).isEqualTo("10.0.0.9");
        assertThat(entry.getInt("queuedMessages")).isEqualTo(2);
    }

    @Test
    void thePageAndItsFilesComeWithHeadersThatKeepThemToThemselves() throws Exception {
        start(new ConsoleConfig(false, "/console", false));
        HttpResponse<String> folder = get(server.httpUri().resolve("/console"));
        assertThat(folder.statusCode()).isEqualTo(308);
        assertThat(folder.headers().firstValue("Location")).hasValue("/console/");
        HttpResponse<String> page = get(console(""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>wsrv console</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(get(console("console.js")).statusCode()).isEqualTo(200);
        assertThat(get(console("console.css")).statusCode()).isEqualTo(200);
        assertThat(get(console("nothing-here")).statusCode()).isEqualTo(404);
        assertThat(post(console("api/state"), "{}", "Content-Type", "application/json", "X-Wsrv-Console", "1")
                .statusCode()).isEqualTo(405);
        assertThat(get(console("api/push")).statusCode()).isEqualTo(405);
    }

    @Test
    void anActionMustComeFromTheConsolesOwnPage() throws Exception {
        start(new ConsoleConfig(false, "/console", false));
        String body = "{\"target\":\"all\",\"cmd\":\"notice\"}";
        HttpResponse<String> noHeader = post(console("api/push"), body, "Content-Type", "application/json");
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(noHeader.body()).isEqualTo("an action needs the header X-Wsrv-Console: 1\n");
        // what an HTML form of another site can send
        assertThat(post(console("api/push"), body, "Content-Type", "text/plain", "X-Wsrv-Console", "1").statusCode())
                .isEqualTo(415);
        String own = "http://" + server.address().getAddress().getHostAddress() + ":" + server.address().getPort();
        assertThat(post(console("api/push"), body, "Content-Type", "application/json", "X-Wsrv-Console", "1",
                "Origin", "http://elsewhere.example").statusCode()).isEqualTo(403);
        assertThat(post(console("api/push"), body, "Content-Type", "application/json", "X-Wsrv-Console", "1",
                "Origin", own, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        assertThat(post(console("api/push"), body, "Content-Type", "application/json", "X-Wsrv-Console", "1",
                "Origin", own, "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
        assertThat(action(console("api/push"), "[1]").statusCode()).isEqualTo(400);
        assertThat(action(console("api/push"), "{\"target\":\"user\",\"cmd\":\"notice\"}").body())
                .isEqualTo("target must be session, user, group or all, and to must name one unless all\n");
        assertThat(action(console("api/close"), "{\"session\":\"x\",\"code\":1006}").body())
                .isEqualTo("code must be 1000, 1001, 1008, 1011, 1013 or 3000 to 4999\n");
        assertThat(get(console("api/sessions?limit=0")).statusCode()).isEqualTo(400);
    }

    @Test
    void aRequestForAnotherHostNameIsRefusedSoThatAReboundNameCannotReadTheConsole() throws Exception {
        start(new ConsoleConfig(false, "/console", false));
        assertThat(rawStatus("GET /console/api/state HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"))
                .isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(rawStatus("GET /console/api/state HTTP/1.1\r\nHost: localhost:" + server.address().getPort()
                + "\r\nConnection: close\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void anExposedConsoleAnswersOnlyWhomItsAuthenticatorAccepts() throws Exception {
        start(new ConsoleConfig(false, "/console", true), TokenAuthenticator.class);
        HttpResponse<String> none = get(console("api/state"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("not accepted by the console's authenticator\n");
        assertThat(get(console("api/state"), "Authorization", "Bearer guess").statusCode()).isEqualTo(401);
        assertThat(get(console("api/state"), "Authorization", TOKEN).statusCode()).isEqualTo(200);
        // exposed, any host name will do: the authenticator is the guard
        assertThat(rawStatus("GET /console/api/state HTTP/1.1\r\nHost: console.example\r\nAuthorization: " + TOKEN
                + "\r\nConnection: close\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void anExposedConsoleWithoutAnAuthenticatorRefusesEveryone() throws Exception {
        start(new ConsoleConfig(false, "/console", true));
        HttpResponse<String> r = get(console("api/state"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("the console is exposed but the application has no ConsoleAuthenticator\n");
    }

    private String rawStatus(String request) throws Exception {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return head.substring(0, head.indexOf("\r\n"));
        }
    }
}
