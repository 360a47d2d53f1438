package dev.wsrv.tracing.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A span per command, child of the trace whose {@code traceparent} the client's upgrade request carried, with the
 * status, session and user; read back from the OpenTelemetry SDK's in-memory exporter.
 */
@Timeout(60)
class CommandSpansTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    /** The application's OpenTelemetry, an SDK that keeps its spans in memory. */
    @Dependent
    public static class Otel {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }

        @Produces
        @Singleton
        OpenTelemetry openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        }
    }

    private static EmbeddedServer start() {
        return EmbeddedServer.builder().port(0).beanClasses(WsrvTracing.class, Otel.class)
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("login", ctx -> {
                    ctx.bindUser("alice");
                    ctx.ok(Map.of("id", ctx.sessionId()));
                })
                .handle("boom", ctx -> {
                    throw new IllegalStateException("a handler's bug");
                })
                .start();
    }

    @Test
    void eachCommandIsASpanUnderTheHandshakesTraceparentWithStatusSessionAndUser() throws Exception {
        try (EmbeddedServer server = start()) {
            InMemorySpanExporter spans = server.container().select(InMemorySpanExporter.class).get();
            String sessionId;
            try (TestClient client = TestClient.connect(server.uri(),
                    Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01"))) {
                assertThat(client.request("echo", "1", "{}").getInt("status")).isZero();
                sessionId = client.request("login", "2", null).getJsonObject("data").getString("id");
                assertThat(client.request("boom", "3", null).getInt("status")).isEqualTo(500);
                assertThat(client.request("made-up", "4", null).getInt("status")).isEqualTo(-1);
            }
            List<SpanData> done = awaitSpans(spans, 4);
            assertThat(done).extracting(SpanData::getName).containsExactly("echo", "login", "boom", "UNKNOWN");
            for (SpanData span : done) {
                assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
                assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
                assertThat(span.getParentSpanContext().isRemote()).isTrue();
                assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                assertThat(span.getAttributes().get(WsrvTracing.SESSION)).isEqualTo(sessionId);
                assertThat(span.getAttributes().get(WsrvTracing.RPC_SYSTEM)).isEqualTo("wsrv");
                assertThat(span.getAttributes().get(WsrvTracing.RPC_METHOD)).isEqualTo(span.getName());
                assertThat(span.getEndEpochNanos()).isGreaterThanOrEqualTo(span.getStartEpochNanos());
            }
            assertThat(done).extracting(s -> s.getAttributes().get(WsrvTracing.STATUS))
                    .containsExactly(0L, 0L, 500L, -1L);
            assertThat(done).extracting(s -> s.getAttributes().get(WsrvTracing.USER))
                    .containsExactly(null, "alice", "alice", "alice");
            assertThat(done).extracting(s -> s.getStatus().getStatusCode())
                    .containsExactly(StatusCode.UNSET, StatusCode.UNSET, StatusCode.ERROR, StatusCode.UNSET);
        }
    }

    @Test
    void withoutTraceparentEachCommandStartsATraceOfItsOwn() throws Exception {
        try (EmbeddedServer server = start();
             TestClient client = TestClient.connect(server.uri())) {
            InMemorySpanExporter spans = server.container().select(InMemorySpanExporter.class).get();
            assertThat(client.request("echo", "1", "{}").getInt("status")).isZero();
            assertThat(client.request("echo", "2", "{}").getInt("status")).isZero();
            List<SpanData> done = awaitSpans(spans, 2);
            assertThat(done).allSatisfy(s -> assertThat(s.getParentSpanContext().isValid()).isFalse());
            assertThat(done.get(0).getTraceId()).isNotEqualTo(done.get(1).getTraceId());
        }
    }

    @Test
    void aMalformedTraceparentIsIgnored() throws Exception {
        try (EmbeddedServer server = start();
             TestClient client = TestClient.connect(server.uri(), Map.of("traceparent", "00-not-a-trace-01"))) {
            InMemorySpanExporter spans = server.container().select(InMemorySpanExporter.class).get();
            assertThat(client.request("echo", "1", "{}").getInt("status")).isZero();
            assertThat(awaitSpans(spans, 1).get(0).getParentSpanContext().isValid()).isFalse();
        }
    }

    private static List<SpanData> awaitSpans(InMemorySpanExporter spans, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() >= n);
        List<SpanData> done = spans.getFinishedSpanItems();
        assertThat(done).hasSize(n);
        return done;
    }
}
