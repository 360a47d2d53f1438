package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.asyncapi.AsyncApiConfig;
import dev.wsrv.asyncapi.AsyncApiDocument;
import dev.wsrv.demo.DemoMain;
import dev.wsrv.demo.DemoThreads;
import dev.wsrv.demo.PushCommands;
import dev.wsrv.demo.UserCommands;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.Targets;
import dev.wsrv.runtime.routing.RouteCatalog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo's contract, its AsyncAPI document, as the running demo serves it over HTTP next to its endpoint, on
 * every target, compared with the document written at build time from its classes.
 */
@Timeout(180)
class ContractTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** What AsyncApiMain writes for the demo's bean classes, without running it. */
    private static final JsonObject BUILT = AsyncApiDocument.of(
            RouteCatalog.of(List.of(UserCommands.class, PushCommands.class, DemoThreads.class)), DemoMain.CONTRACT, "/ws");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void theDemoServesItsCommandsAndPushesNextToItsEndpoint(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        HttpResponse<String> r = get(target, "ws/asyncapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonObject doc = Json.createReader(new StringReader(r.body())).readObject();

        assertThat(doc.getString("asyncapi")).isEqualTo("3.0.0");
        assertThat(doc.getJsonObject("operations").keySet()).containsExactly("join", "register", "send",
                "thread", "token", "userinfo", "whoami", "have_user_register.push", "user_register.push");
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        JsonObject messages = doc.getJsonObject("components").getJsonObject("messages");
        assertThat(dataOf(messages, "register.request")).isEqualTo(ref("UserCommands.Register"));
        assertThat(schemas.getJsonObject("UserCommands.Register")).isEqualTo(json("{'type':'object',"
                + "'properties':{'uid':{'type':'integer','format':'int64','exclusiveMinimum':0}},'required':['uid']}"));
        assertThat(dataOf(messages, "userinfo.reply")).isEqualTo(ref("UserCommands.UserInfo"));
        assertThat(schemas.getJsonObject("UserCommands.UserInfo")).isEqualTo(json("{'type':'object',"
                + "'properties':{'uid':{'type':'integer','format':'int64'},'name':{'type':'string'}}}"));
        assertThat(dataOf(messages, "have_user_register.push")).isEqualTo(ref("UserCommands.Registered"));
        assertThat(dataOf(messages, "user_register.push")).isEqualTo(ref("UserCommands.Registered"));

        // a WAR takes its title and version from its settings; everything else is what the build writes
        for (String part : List.of("channels", "operations", "components")) {
            assertThat(doc.getJsonObject(part)).as(part).isEqualTo(BUILT.getJsonObject(part));
        }
        assertThat(doc.getJsonObject("info").getString("version")).isEqualTo("1.0.0");
    }

    @Test
    void theEmbeddedDemoServesWhatTheBuildWritesAndOnlyToGetAndHead() throws Exception {
        try (EmbeddedServer demo = DemoMain.builder().port(0).start()) {
            URI document = demo.httpUri().resolve(AsyncApiConfig.documentPath(demo.uri().getPath()));
            assertThat(document.getPath()).isEqualTo("/ws/asyncapi.json");
            HttpResponse<String> r = send(HttpRequest.newBuilder(document));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(AsyncApiDocument.text(BUILT));
            assertThat(Json.createReader(new StringReader(r.body())).readObject().getJsonObject("info")
                    .getString("title")).isEqualTo("wsrv demo");

            HttpResponse<String> post = send(HttpRequest.newBuilder(document)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    private static JsonObject dataOf(JsonObject messages, String message) {
        return messages.getJsonObject(message).getJsonObject("payload").getJsonObject("properties")
                .getJsonObject("data");
    }

    private static JsonObject ref(String schema) {
        return Json.createObjectBuilder().add("$ref", "#/components/schemas/" + schema).build();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    private static HttpResponse<String> get(Target target, String path) throws Exception {
        return send(HttpRequest.newBuilder(target.httpBase().resolve(path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
