package dev.wsrv.metrics.micrometer;

import dev.wsrv.CloseCodes;
import dev.wsrv.PushResult;
import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.observe.WsrvObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * wsrv's meters on the application's Micrometer {@link MeterRegistry}: the one CDI bean of that type when there is
 * one, else Micrometer's global registry ({@link Metrics#globalRegistry}). Deploying this class is all it takes: in a
 * WAR the module's jar is discovered; embedded, pass it to {@code beanClasses}.
 *
 * <p>Names and tags follow Micrometer's conventions (dotted lower case, base units; a Prometheus registry shows
 * {@code wsrv.server.requests} as {@code wsrv_server_requests_seconds}), tag names those of OpenTelemetry's semantic
 * conventions where one fits. Commands without a handler are tagged {@code UNKNOWN}, so that a client cannot make up
 * series. The README's section "Observe it" lists every meter. Thread-safe; each event costs a map lookup and an
 * atomic add.
 */
@ApplicationScoped
public class WsrvMetrics implements WsrvObserver {

    private static final Logger LOG = Logger.getLogger(WsrvMetrics.class.getName());

    /** The command tag of requests for a command without a handler, or a frame without a readable command. */
    public static final String UNKNOWN = "UNKNOWN";

    /** The latency buckets: enough for p50, p95 and p99 from {@code histogram_quantile}, few series. */
    private static final Duration[] BUCKETS = {ms(0.5), ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100),
        ms(250), ms(500), ms(1000), ms(2500), ms(5000), ms(10000)};

    @Inject
    @Any
    Instance<MeterRegistry> registries;

    private MeterRegistry registry;
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> closed = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> handshakeRefusals = new ConcurrentHashMap<>();
    private final Map<Limit, Counter> limitRefusals = new ConcurrentHashMap<>();
    private final Map<PushKind, Counter> pushes = new ConcurrentHashMap<>();
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<ClusterEvent, Counter> cluster = new ConcurrentHashMap<>();
    private final AtomicInteger clusterConnected = new AtomicInteger();
    private final AtomicBoolean clusterGauge = new AtomicBoolean();
    private Counter opened;
    private Counter detached;
    private Counter resumed;
    private Counter slowConsumers;

    private record RequestKey(String command, int status) {
    }

    /** Creates the bean; CDI calls this, or a test with {@link #bindTo}. */
    public WsrvMetrics() {
    }

    /**
     * Registers the meters that exist from the start on the application's registry and reads the gauges from
     * {@code view}; the runtime calls this once when it starts.
     *
     * @param view the runtime's live counts
     */
    @Override
    public void started(RuntimeView view) {
        MeterRegistry r = registries != null && registries.isResolvable() ? registries.get() : Metrics.globalRegistry;
        LOG.info(() -> "wsrv: meters on " + r.getClass().getSimpleName());
        bindTo(r, view);
    }

    /**
     * Registers the meters on a given registry, for use without CDI.
     *
     * @param r the registry
     * @param view the runtime's live counts
     */
    public void bindTo(MeterRegistry r, RuntimeView view) {
        registry = r;
        Gauge.builder("wsrv.sessions.open", view, RuntimeView::sessions).strongReference(true)
                .description("Sessions open on this node, detached resumable ones included")
                .register(r);
        Gauge.builder("wsrv.send.queue.messages", view, RuntimeView::queuedMessages).strongReference(true)
                .description("Messages waiting in the sessions' outbound queues").register(r);
        Gauge.builder("wsrv.send.queue.bytes", view, RuntimeView::queuedBytes).strongReference(true)
                .description("Bytes waiting in the sessions' outbound queues").baseUnit("bytes").register(r);
        opened = Counter.builder("wsrv.sessions.opened").description("Sessions opened (not resumed)").register(r);
        detached = Counter.builder("wsrv.sessions.detached")
                .description("Resumable sessions whose connection was lost, waiting for their client").register(r);
        resumed = Counter.builder("wsrv.sessions.resumed").description("Detached sessions resumed on a new connection").register(r);
        slowConsumers = Counter.builder("wsrv.slow_consumer.closes")
                .description("Sessions closed with 1013 because their outbound queue was full")
                .register(r);
    }

    @Override
    public void requestDone(RequestDone done) {
        String command = done.routed() ? done.cmd() : UNKNOWN;
        requests.computeIfAbsent(new RequestKey(command, done.status()), k -> Timer.builder("wsrv.server.requests")
                .description("Requests answered, by command and reply status, with the time from the request's turn"
                        + " to its reply (0 for a refusal)")
                .tag("wsrv.command", k.command()).tag("wsrv.status", Integer.toString(k.status()))
                .tag("outcome", outcome(k.status())).serviceLevelObjectives(BUCKETS).register(registry))
                .record(done.nanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void sessionOpened(String sessionId) {
        opened.increment();
    }

    @Override
    public void sessionClosed(String sessionId, int closeCode) {
        // a client chooses its own close code (3000 to 4999 are free): only the codes of docs/protocol.md are tags
        int code = closeCode >= 1000 && closeCode <= 1015 || closeCode == CloseCodes.RESUMED_ELSEWHERE ? closeCode : 0;
        closed.computeIfAbsent(code, c -> Counter.builder("wsrv.sessions.closed")
                .description("Sessions ended, by close code (other for a code outside 1000-1015 and 4001)")
                .tag("websocket.close.code", c == 0 ? "other" : Integer.toString(c)).register(registry)).increment();
        if (closeCode == CloseCodes.SLOW_CONSUMER) {
            slowConsumers.increment();
        }
    }

    @Override
    public void sessionDetached(String sessionId) {
        detached.increment();
    }

    @Override
    public void sessionResumed(String sessionId) {
        resumed.increment();
    }

    @Override
    public void pushed(PushKind kind, PushResult result) {
        pushes.computeIfAbsent(kind, k -> counter("wsrv.pushes", "Pushes made, by whom they were addressed to",
                "wsrv.push.kind", name(k))).increment();
        delivered(kind, "delivered", result.delivered().size());
        delivered(kind, "buffered", result.buffered().size());
        delivered(kind, "failed", result.failures().size());
    }

    private void delivered(PushKind kind, String result, int n) {
        if (n > 0) {
            deliveries.computeIfAbsent(name(kind) + "/" + result, k -> Counter.builder("wsrv.push.deliveries")
                    .description("Sessions a push reached on this node, or failed to reach, by push kind and result").tag("wsrv.push.kind", name(kind)).tag("wsrv.push.result", result)
                    .register(registry)).increment(n);
        }
    }

    @Override
    public void handshakeRefused(int status) {
        handshakeRefusals.computeIfAbsent(status, s -> counter("wsrv.handshake.refusals",
                "Upgrade requests refused, by HTTP status", "http.response.status_code",
                Integer.toString(s))).increment();
    }

    @Override
    public void limitRefused(Limit limit) {
        refused(limit);
    }

    @Override
    public void shapeRefused(Limit limit) {
        refused(limit);
    }

    private void refused(Limit limit) {
        limitRefusals.computeIfAbsent(limit, l -> Counter.builder("wsrv.limit.refusals")
                .description("Requests refused by a limit (429, 400 for the shape of data) and sessions closed for "
                        + "their refusals (1008), by limit").tag("wsrv.limit", name(l)).tag("wsrv.status", Integer.toString(status(l)))
                .register(registry)).increment();
    }

    @Override
    public void cluster(ClusterEvent event) {
        cluster.computeIfAbsent(event, e -> counter("wsrv.cluster.messages",
                "Pushes this node published for the others, received from them, or dropped",
                "wsrv.cluster.event", name(e))).increment();
    }

    @Override
    public void clusterConnection(boolean connected) {
        clusterConnected.set(connected ? 1 : 0);
        if (clusterGauge.compareAndSet(false, true)) {
            // only on a node with a cluster transport, which reports its connection from the start
            Gauge.builder("wsrv.cluster.connected", clusterConnected, AtomicInteger::get).strongReference(true)
                    .description("1 while the cluster transport is connected to its broker, else 0")
                    .register(registry);
        }
    }

    private Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(registry);
    }

    /** The reply status's class, named like Micrometer's HTTP {@code outcome}; -1 (no handler) is the client's. */
    static String outcome(int status) {
        if (status == 0) {
            return "SUCCESS";
        }
        if (status == -1 || status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        }
        return status >= 500 && status < 600 ? "SERVER_ERROR" : "UNKNOWN";
    }

    private static int status(Limit limit) {
        return switch (limit) {
            case RATE, ADDRESS, ASYNC -> 429;
            case CLOSE -> 1008;
            case DEPTH, KEYS -> 400;
        };
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }
}
