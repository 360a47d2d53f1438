package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A route gets every request under its prefix, with its method, path, peer, headers and body, over a socket. */
@Timeout(30)
class HttpRouteTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpRoute.Answer echo(HttpRoute.Ask ask) {
        if (ask.path().endsWith("/fail")) {
            throw new IllegalStateException("internal detail");
        }
        String text = ask.method() + " " + ask.path() + " " + ask.query() + " " + ask.remoteAddress().getHostAddress()
                + " " + ask.header("X-Test") + " " + new String(ask.body(), StandardCharsets.UTF_8);
        return new HttpRoute.Answer(201, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8),
                Map.of("Cache-Control", "no-store"));
    }

    @Test
    void everyPathUnderThePrefixReachesTheRouteAndNothingElseDoes() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).http("/ops", beans -> HttpRouteTest::echo)
                .start()) {
            URI base = server.httpUri();
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(base.resolve("/ops/api/x?a=1"))
                    .header("X-Test", "yes").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(201);
            assertThat(post.body()).isEqualTo("POST /ops/api/x a=1 127.0.0.1 yes hello");
            assertThat(post.headers().firstValue("Cache-Control")).hasValue("no-store");

            HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(base.resolve("/ops")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.body()).isEqualTo("GET /ops null 127.0.0.1 null ");

            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/opsx")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            HttpResponse<String> failed = HTTP.send(HttpRequest.newBuilder(base.resolve("/ops/fail")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).doesNotContain("internal detail");

            byte[] big = new byte[HttpRoute.MAX_BODY_BYTES + 1];
            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("/ops/big"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        }
    }
}
