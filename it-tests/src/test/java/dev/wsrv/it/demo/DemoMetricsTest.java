package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.EmbeddedTarget;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded demo serves wsrv's meters in the Prometheus text format at {@code /metrics} on its own address. */
@Timeout(60)
class DemoMetricsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void metricsCountTheDemosSessionsAndRequests() throws Exception {
        try (EmbeddedTarget demo = EmbeddedTarget.start(Map.of())) {
            try (TestClient client = TestClient.connect(demo.wsUri())) {
                // the demo asks for a login first, whatever the command
                assertThat(client.request("no-such-command", "1", null).getInt("status")).isEqualTo(401);
                assertThat(client.request("no-such-command", "2", null).getInt("status")).isEqualTo(401);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> scrape(demo).contains("wsrv_sessions_open 0.0"));
            String text = scrape(demo);
            assertThat(text).contains("wsrv_sessions_opened_total 1.0",
                    "wsrv_sessions_closed_total{websocket_close_code=\"1000\"} 1.0",
                    "wsrv_server_requests_seconds_count{outcome=\"CLIENT_ERROR\",wsrv_command=\"UNKNOWN\","
                            + "wsrv_status=\"401\"} 2");
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(demo.httpBase().resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private static String scrape(EmbeddedTarget demo) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(demo.httpBase().resolve("/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return r.body();
    }
}
