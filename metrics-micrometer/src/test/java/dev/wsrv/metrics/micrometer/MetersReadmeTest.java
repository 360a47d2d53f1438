package dev.wsrv.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.it.support.ReadmeTable;
import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.observe.WsrvObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's list of meters is the list of what {@link WsrvMetrics} registers, each event heard once. */
class MetersReadmeTest {

    /** The runtime's view with fixed counts. */
    record FixedView(int sessions, long queuedMessages, long queuedBytes) implements RuntimeView {
    }

    @Test
    void theReadmeListsEveryMeterWithItsPrometheusNameTagsAndMeaning() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WsrvMetrics metrics = new WsrvMetrics();
        metrics.bindTo(registry, new FixedView(2, 3, 40));
        metrics.requestDone(new RequestDone("s1", null, null, "echo", true, 0, 1_000_000));
        metrics.sessionOpened("s1");
        metrics.sessionClosed("s1", 1013);
        metrics.sessionDetached("s2");
        metrics.sessionResumed("s2");
        metrics.pushed(WsrvObserver.PushKind.USER, new PushResult(List.of("s1"), List.of("s2"),
                List.of(new PushResult.Failure("s3", PushResult.NO_SUCH_SESSION)), 0));
        metrics.handshakeRefused(403);
        for (WsrvObserver.Limit limit : WsrvObserver.Limit.values()) {
            metrics.limitRefused(limit);
        }
        for (WsrvObserver.ClusterEvent event : WsrvObserver.ClusterEvent.values()) {
            metrics.cluster(event);
        }
        metrics.clusterConnection(true);

        metrics.sessionClosed("s4", 4321);
        metrics.sessionClosed("s5", 3000);
        assertThat(registry.get("wsrv.sessions.closed").tag("websocket.close.code", "other").counter().count())
                .as("a close code the client chose freely is no tag of its own").isEqualTo(2);

        String scrape = registry.scrape();
        Map<String, Meter> byName = new TreeMap<>();
        registry.getMeters().forEach(m -> byName.putIfAbsent(m.getId().getName(), m));
        StringBuilder table = new StringBuilder("| meter | Prometheus | type | tags | what it measures |\n"
                + "|---|---|---|---|---|\n");
        for (Meter m : byName.values()) {
            String prometheus = prometheusName(m, scrape);
            String tags = registry.getMeters().stream().filter(o -> o.getId().getName().equals(m.getId().getName()))
                    .flatMap(o -> o.getId().getTags().stream()).map(Tag::getKey)
                    .collect(Collectors.toCollection(TreeSet::new)).stream().map(t -> "`" + t + "`")
                    .collect(Collectors.joining(", "));
            table.append("| `").append(m.getId().getName()).append("` | `").append(prometheus).append("` | ")
                    .append(m.getId().getType().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(tags.isEmpty() ? "-" : tags).append(" | ").append(m.getId().getDescription())
                    .append(" |\n");
        }
        ReadmeTable.check("metrics", "the meters WsrvMetrics registers", table.toString());
    }

    /** The name a Prometheus scrape shows the meter under, read from the scrape itself. */
    private static String prometheusName(Meter m, String scrape) {
        String base = m.getId().getConventionName(new PrometheusNamingConvention());
        String type = scrape.lines().filter(l -> l.startsWith("# TYPE " + base + " ")
                        || l.startsWith("# TYPE " + base + "_"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + base + " in the scrape:\n" + scrape));
        String name = type.split(" ")[2];
        assertThat(scrape).contains(name);
        return name;
    }
}
