package dev.wsrv.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.Pusher;
import dev.wsrv.Sessions;
import dev.wsrv.WsrvConfig;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.embedded.TransportConfig;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scripted workload against the real embedded server, then its {@code /metrics} read over HTTP: the Prometheus
 * counters are exactly what the clients did and got.
 */
@Timeout(90)
class PrometheusScrapeTest {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** The application's registry, a Prometheus one, as a CDI bean. */
    @Dependent
    public static class Registry {
        @Produces
        @Singleton
        PrometheusMeterRegistry registry() {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
    }

    /** A clock that stands still: the token buckets refill never, so that the 429s are exact. */
    @Dependent
    public static class StillClock {
        @Produces
        Ticker ticker() {
            return () -> 0L;
        }
    }

    @Test
    void theCountersAreExactlyWhatTheClientsDidAndGot() throws Exception {
        WsrvConfig config = WsrvConfig.DEFAULTS.with("wsrv.idleTimeoutMs", 0)
                .with("wsrv.limits.requestBurst", 10).with("wsrv.limits.violationsBeforeClose", 3)
                .with("wsrv.limits.connectionsPerAddress", 2).with("wsrv.limits.maxDepth", 4)
                .with("wsrv.sendQueue.maxMessages", 4);
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).config(config).transport(TransportConfig.NONE)
                .beanClasses(WsrvMetrics.class, Registry.class, StillClock.class)
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("whoami", ctx -> ctx.ok(Map.of("id", ctx.sessionId())))
                .handle("boom", ctx -> {
                    throw new IllegalStateException("a handler's bug");
                })
                .httpText("/metrics", PROMETHEUS_TEXT,
                        beans -> beans.select(PrometheusMeterRegistry.class).get().scrape())
                .start()) {
            Sessions sessions = server.container().select(Sessions.class).get();
            String aId;
            try (TestClient a = TestClient.connect(server.uri())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(a.request("echo", "e" + i, "{}").getInt("status")).isZero();
                }
                assertThat(a.request("nope", "n1", null).getInt("status")).isEqualTo(-1);
                assertThat(a.request("nope-" + "x".repeat(20), "n2", null).getInt("status")).isEqualTo(-1);
                assertThat(a.request("boom", "b", null).getInt("status")).isEqualTo(500);
                a.sendText("[]");
                assertThat(a.nextJson().getInt("status")).isEqualTo(400);
                assertThat(a.request("echo", "deep", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}").getInt("status"))
                        .isEqualTo(400);
                aId = a.request("whoami", "w", null).getJsonObject("data").getString("id");

                assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", "http://elsewhere.example")))
                        .isEqualTo(403);
                assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", "http://other.example")))
                        .isEqualTo(403);
                try (TestClient b = TestClient.connect(server.uri())) {
                    assertThat(TestClient.upgradeStatus(server.uri(), Map.of())).as("a third from one address")
                            .isEqualTo(429);
                    for (int i = 0; i < 13; i++) {
                        b.sendText("{\"cmd\":\"echo\",\"seqno\":\"" + i + "\",\"data\":{}}");
                    }
                    int ok = 0;
                    int refused = 0;
                    for (int i = 0; i < 13; i++) {
                        int status = b.nextJson().getInt("status");
                        ok += status == 0 ? 1 : 0;
                        refused += status == 429 ? 1 : 0;
                    }
                    assertThat(ok).isEqualTo(10);
                    assertThat(refused).isEqualTo(3);
                    assertThat(b.awaitClose().code()).isEqualTo(1008);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count() == 1);

                try (RawClient stuck = new RawClient(server.uri())) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count() == 2);
                    Set<String> ids = new HashSet<>(sessions.ids());
                    ids.remove(aId);
                    String stuckId = ids.iterator().next();
                    // it never reads: the socket's buffers fill, then its queue of 4, then it is closed with 1013
                    Pusher pusher = server.container().select(Pusher.class).get();
                    String pad = "x".repeat(60_000);
                    for (int i = 0; i < 5_000 && sessions.find(stuckId).isPresent(); i++) {
                        pusher.push(stuckId, "blob", Map.of("pad", pad));
                    }
                    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.find(stuckId).isEmpty());
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count() == 0);

            String text = scrape(server);
            assertThat(requests(text, "SUCCESS", "echo", 0)).isEqualTo(3 + 10);
            assertThat(requests(text, "CLIENT_ERROR", "UNKNOWN", -1)).isEqualTo(2);
            assertThat(requests(text, "SERVER_ERROR", "boom", 500)).isEqualTo(1);
            assertThat(requests(text, "CLIENT_ERROR", "UNKNOWN", 400)).isEqualTo(1);
            assertThat(requests(text, "CLIENT_ERROR", "echo", 400)).isEqualTo(1);
            assertThat(requests(text, "CLIENT_ERROR", "echo", 429)).isEqualTo(3);
            assertThat(requests(text, "SUCCESS", "whoami", 0)).isEqualTo(1);
            assertThat(text).as("no command a client made up is a series").doesNotContain("nope");
            assertThat(value(text, "wsrv_limit_refusals_total", "wsrv_limit=\"rate\",wsrv_status=\"429\""))
                    .isEqualTo(3);
            assertThat(value(text, "wsrv_limit_refusals_total", "wsrv_limit=\"close\",wsrv_status=\"1008\""))
                    .isEqualTo(1);
            assertThat(value(text, "wsrv_limit_refusals_total", "wsrv_limit=\"depth\",wsrv_status=\"400\""))
                    .isEqualTo(1);
            assertThat(value(text, "wsrv_handshake_refusals_total", "http_response_status_code=\"403\""))
                    .isEqualTo(2);
            assertThat(value(text, "wsrv_handshake_refusals_total", "http_response_status_code=\"429\""))
                    .isEqualTo(1);
            assertThat(value(text, "wsrv_sessions_opened_total", "")).isEqualTo(3);
            assertThat(value(text, "wsrv_sessions_closed_total", "websocket_close_code=\"1000\"")).isEqualTo(1);
            assertThat(value(text, "wsrv_sessions_closed_total", "websocket_close_code=\"1008\"")).isEqualTo(1);
            assertThat(value(text, "wsrv_sessions_closed_total", "websocket_close_code=\"1013\"")).isEqualTo(1);
            assertThat(value(text, "wsrv_slow_consumer_closes_total", "")).isEqualTo(1);
            assertThat(value(text, "wsrv_sessions_open", "")).isZero();
            assertThat(value(text, "wsrv_send_queue_messages", "")).isZero();
            assertThat(value(text, "wsrv_pushes_total", "wsrv_push_kind=\"session\"")).isPositive();
            assertThat(text).doesNotContain("wsrv_cluster_");
        }
    }

    private static String scrape(EmbeddedServer server) throws Exception {
        URI uri = server.httpUri().resolve("/metrics");
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as("%s", response.headers().map()).hasValue(PROMETHEUS_TEXT);
        return response.body();
    }

    /** How many requests the scrape counts for one command, reply status and outcome. */
    private static double requests(String text, String outcome, String command, int status) {
        return value(text, "wsrv_server_requests_seconds_count",
                "outcome=\"" + outcome + "\",wsrv_command=\"" + command + "\",wsrv_status=\"" + status + "\"");
    }

    /** The value of one sample: the metric with exactly these labels (in Prometheus' order, by name). */
    private static double value(String text, String metric, String labels) {
        String sample = labels.isEmpty() ? metric : metric + "{" + labels + ",?}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + (labels.isEmpty() ? ""
                : "\\{" + Pattern.quote(labels) + ",?\\}") + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("%s in\n%s", sample, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
