package dev.wsrv.console;

import dev.wsrv.PushResult;
import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.observe.WsrvObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the operator console shows of this node, heard through the runtime's {@link WsrvObserver} seam: totals since
 * the application started, and one value per second over the last {@link #WINDOW_SECONDS} seconds for the charts
 * (open sessions, requests, errors, refusals, the p99 latency of each command). Needs no metrics library.
 *
 * <p>Requests for a command without a handler count under {@code UNKNOWN}, and close codes outside 1000 to 4999 under
 * {@code other}, so that clients cannot grow what it keeps beyond a fixed bound. An error is a reply with any status but 0 (success) and
 * 429; a refusal is an upgrade refused, a request refused by a limit (429) or a session closed for its
 * refusals (1008). Thread-safe; each call costs a few counter increments.
 */
@ApplicationScoped
public class ConsoleStats implements WsrvObserver {

    /** How many seconds the charts look back. */
    public static final int WINDOW_SECONDS = 300;

    /** The command name of requests whose command has no handler. */
    public static final String UNKNOWN = "UNKNOWN";

    private final LongSupplier clock;
    private final AtomicReferenceArray<Second> window = new AtomicReferenceArray<>(WINDOW_SECONDS);
    private final Map<String, Map<Integer, LongAdder>> replies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> pushes = new ConcurrentHashMap<>();
    private final LongAdder opened = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile RuntimeView view;
    private volatile long startedSecond = Long.MAX_VALUE;

    /** Creates the bean on the system clock; CDI calls this. */
    public ConsoleStats() {
        this(System::currentTimeMillis);
    }

    /**
     * Creates the statistics on a given clock.
     *
     * @param clock the time in milliseconds since the epoch
     */
    ConsoleStats(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void started(RuntimeView v) {
        startedSecond = Math.floorDiv(clock.getAsLong(), 1000);
        view = v;
    }

    @Override
    public void requestDone(RequestDone done) {
        String cmd = done.routed() ? done.cmd() : UNKNOWN;
        replies.computeIfAbsent(cmd, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(done.status(), s -> new LongAdder()).increment();
        Second now = now();
        now.requests.increment();
        if (done.status() != 0 && done.status() != 429) {
            errors.increment();
            now.errors.increment();
        }
        if (done.nanos() > 0) {
            now.latency.computeIfAbsent(cmd, c -> new LatencyHistogram()).record(done.nanos());
        }
    }

    @Override
    public void sessionOpened(String sessionId) {
        opened.increment();
        sample();
    }

    @Override
    public void sessionClosed(String sessionId, int closeCode) {
        count(closes, closeCode >= 1000 && closeCode <= 4999 ? Integer.toString(closeCode) : "other");
        sample();
    }

    @Override
    public void pushed(PushKind kind, PushResult result) {
        count(pushes, kind.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void handshakeRefused(int status) {
        refusal("handshake " + status);
    }

    @Override
    public void limitRefused(Limit limit) {
        refusal(limit == Limit.CLOSE ? "close 1008" : "limit " + limit.name().toLowerCase(Locale.ROOT));
    }

    private void refusal(String kind) {
        count(refusals, kind);
        refused.increment();
        now().refusals.increment();
    }

    private static void count(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private void sample() {
        RuntimeView v = view;
        if (v != null) {
            now().sessions = v.sessions();
        }
    }

    private Second now() {
        long second = Math.floorDiv(clock.getAsLong(), 1000);
        int slot = (int) Math.floorMod(second, WINDOW_SECONDS);
        for (;;) {
            Second s = window.get(slot);
            // a second older than the slot's holds on (a clock stepped back); a newer one replaces it: an increment on
            // the old one that races with the swap is lost to the chart, never to the totals
            if (s != null && s.epochSecond >= second) {
                return s;
            }
            Second fresh = new Second(second);
            if (window.compareAndSet(slot, s, fresh)) {
                return fresh;
            }
        }
    }

    /**
     * Returns the totals and the last {@link #WINDOW_SECONDS} seconds as the console's JSON.
     *
     * @return the snapshot: {@code now} (ms), {@code totals}, {@code series}
     */
    public JsonObject snapshot() {
        long nowMillis = clock.getAsLong();
        long last = Math.floorDiv(nowMillis, 1000);
        int open = view == null ? 0 : view.sessions();
        JsonArrayBuilder sessions = Json.createArrayBuilder();
        JsonArrayBuilder requests = Json.createArrayBuilder();
        JsonArrayBuilder errorSeries = Json.createArrayBuilder();
        JsonArrayBuilder refusalSeries = Json.createArrayBuilder();
        Map<String, double[]> p99 = new TreeMap<>();
        Map<String, long[]> overall = new TreeMap<>();
        Second[] seconds = new Second[WINDOW_SECONDS];
        long first = last - WINDOW_SECONDS + 1;
        // before the first change in the window the count was what that change started from: none when the server
        // started within the window, else unknown, and then the present count is the best guess
        int carried = startedSecond >= first ? 0 : -1;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long second = first + i;
            Second s = window.get((int) Math.floorMod(second, WINDOW_SECONDS));
            seconds[i] = s != null && s.epochSecond == second ? s : null;
        }
        if (carried < 0) {
            carried = open;
            for (Second s : seconds) {
                if (s != null && s.sessions >= 0) {
                    carried = s.sessions;
                    break;
                }
            }
        }
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            Second s = seconds[i];
            if (s != null && s.sessions >= 0) {
                carried = s.sessions;
            }
            if (first + i < startedSecond) {
                sessions.addNull(); // the server was not running yet
            } else {
                sessions.add(i == WINDOW_SECONDS - 1 ? open : carried);
            }
            requests.add(s == null ? 0 : s.requests.sum());
            errorSeries.add(s == null ? 0 : s.errors.sum());
            refusalSeries.add(s == null ? 0 : s.refusals.sum());
            if (s != null) {
                int at = i;
                s.latency.forEach((cmd, histogram) -> {
                    long[] counts = new long[LatencyHistogram.BUCKETS];
                    histogram.addTo(counts);
                    p99.computeIfAbsent(cmd, c -> filled(-1))[at] = LatencyHistogram.quantileMillis(counts, 0.99);
                    long[] sum = overall.computeIfAbsent(cmd, c -> new long[LatencyHistogram.BUCKETS]);
                    for (int b = 0; b < counts.length; b++) {
                        sum[b] += counts[b];
                    }
                });
            }
        }
        JsonObjectBuilder latency = Json.createObjectBuilder();
        p99.forEach((cmd, values) -> {
            JsonArrayBuilder a = Json.createArrayBuilder();
            for (double v : values) {
                if (v < 0) {
                    a.addNull();
                } else {
                    a.add(v);
                }
            }
            latency.add(cmd, a);
        });
        JsonObjectBuilder commands = Json.createObjectBuilder();
        new TreeMap<>(replies).forEach((cmd, byStatus) -> {
            JsonObjectBuilder statuses = Json.createObjectBuilder();
            long total = 0;
            for (var e : new TreeMap<>(byStatus).entrySet()) {
                long n = e.getValue().sum();
                total += n;
                statuses.add(Integer.toString(e.getKey()), n);
            }
            JsonObjectBuilder c = Json.createObjectBuilder().add("requests", total).add("statuses", statuses);
            long[] counts = overall.get(cmd);
            double q = counts == null ? -1 : LatencyHistogram.quantileMillis(counts, 0.99);
            if (q >= 0) {
                c.add("p99Ms", q);
            } else {
                c.addNull("p99Ms");
            }
            commands.add(cmd, c);
        });
        long requestTotal = replies.values().stream()
                .flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
        JsonObjectBuilder totals = Json.createObjectBuilder()
                .add("sessions", open)
                .add("opened", opened.sum())
                .add("requests", requestTotal)
                .add("errors", errors.sum())
                .add("refusals", refused.sum())
                .add("queuedMessages", view == null ? 0 : view.queuedMessages())
                .add("commands", commands)
                .add("refusalsByKind", counters(refusals))
                .add("closesByCode", counters(closes))
                .add("pushesByKind", counters(pushes));
        JsonObjectBuilder series = Json.createObjectBuilder()
                .add("from", first * 1000)
                .add("stepMs", 1000)
                .add("sessions", sessions)
                .add("requests", requests)
                .add("errors", errorSeries)
                .add("refusals", refusalSeries)
                .add("p99Ms", latency);
        return Json.createObjectBuilder().add("now", nowMillis).add("totals", totals).add("series", series).build();
    }

    private static double[] filled(double value) {
        double[] a = new double[WINDOW_SECONDS];
        Arrays.fill(a, value);
        return a;
    }

    private static JsonObjectBuilder counters(Map<String, LongAdder> counters) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        new TreeMap<>(counters).forEach((k, v) -> b.add(k, v.sum()));
        return b;
    }

    /** One second's counts. */
    private static final class Second {
        final long epochSecond;
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder refusals = new LongAdder();
        final Map<String, LatencyHistogram> latency = new ConcurrentHashMap<>();
        volatile int sessions = -1;

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
        }
    }
}
