package dev.wsrv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1, echo: the wsrv router against a raw Tyrus endpoint, closed-loop requests on many connections, legs
 * alternating between the two; reports requests per second, latency percentiles and the CPU of both processes.
 */
final class EchoBench {

    private final BenchClient client;

    EchoBench(BenchClient client) {
        this.client = client;
    }

    /** The closed loop: every reply is matched by seqno and answered by the next request on its connection. */
    static final class EchoLoad extends BenchClient.Base {
        static final byte[] SEQ = "\"seqno\":\"".getBytes(StandardCharsets.US_ASCII);
        static final byte[] STATUS = "\"status\":".getBytes(StandardCharsets.US_ASCII);
        final byte[] prefix = "{\"cmd\":\"echo\",\"seqno\":\"".getBytes(StandardCharsets.US_ASCII);
        final byte[] suffix;
        final int minReply;
        final int inflight;
        /** 0 idle, 1 warm-up, 2 measuring, 3 draining. */
        volatile int phase;

        EchoLoad(int payload, int inflight) {
            String mid = "\",\"data\":{\"p\":\"";
            int filler = Math.max(1, payload - prefix.length - mid.length() - 3 - 6);
            this.suffix = (mid + "x".repeat(filler) + "\"}}").getBytes(StandardCharsets.US_ASCII);
            this.minReply = filler;
            this.inflight = inflight;
        }

        int requestSize() {
            return prefix.length + 6 + suffix.length;
        }

        void start(WsConn c) {
            try {
                for (int i = 0; i < inflight; i++) {
                    send(c);
                }
                c.flush();
            } catch (IOException e) {
                c.close(e.toString());
            }
        }

        private void send(WsConn c) {
            long seq = c.nextSeq++;
            int digits = digits(seq);
            ByteBuffer o = c.begin(1, prefix.length + digits + suffix.length);
            o.put(prefix);
            int at = o.position() + digits;
            long v = seq;
            for (int i = 1; i <= digits; i++) {
                o.put(at - i, (byte) ('0' + (v % 10)));
                v /= 10;
            }
            o.position(at);
            o.put(suffix);
            int slot = (int) (seq & c.mask);
            c.sentSeq[slot] = seq;
            c.sentAt[slot] = System.nanoTime();
            c.inflight++;
        }

        private static int digits(long v) {
            int d = 1;
            while (v >= 10) {
                v /= 10;
                d++;
            }
            return d;
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            long now = System.nanoTime();
            IoLoop l = c.loop;
            int end = off + len;
            int s = BenchClient.indexOf(b, off, end, SEQ);
            long seq = -1;
            if (s >= 0) {
                seq = 0;
                for (int i = s + SEQ.length; i < end && b.get(i) != '"'; i++) {
                    int d = b.get(i) - '0';
                    if (d < 0 || d > 9) {
                        seq = -1;
                        break;
                    }
                    seq = seq * 10 + d;
                }
            }
            int st = s < 0 ? -1 : BenchClient.indexOf(b, s, end, STATUS);
            boolean ok = seq >= 0 && st >= 0 && b.get(st + STATUS.length) == '0' && len >= minReply;
            int slot = (int) (seq & c.mask);
            if (!ok || c.sentSeq[slot] != seq) {
                l.errors++;
                if (!ok) {
                    lastError.set("bad reply: " + StandardCharsets.UTF_8.decode(b.duplicate().position(off)
                            .limit(Math.min(end, off + 200))));
                }
                return;
            }
            c.sentSeq[slot] = -1;
            c.inflight--;
            int ph = phase;
            if (ph == 2) {
                l.histogram.recordValue(now - c.sentAt[slot]);
                l.completed++;
            }
            if (ph == 1 || ph == 2) {
                send(c);
            }
        }
    }

    record Leg(String target, int payload, int conns, int inflight, double reqPerSec, long p50, long p99, long p999,
               long max, long count, long errors, long lost, double serverCores, double clientCores,
               double openSeconds) {
        double perCore() {
            return serverCores > 0 ? reqPerSec / serverCores : Double.NaN;
        }

        String shape() {
            return conns + "x" + inflight;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"target\":\"%s\",\"payload\":%d,\"conns\":%d,\"inflight\":%d,"
                            + "\"reqPerSec\":%.0f,\"p50us\":%.1f,\"p99us\":%.1f,\"p999us\":%.1f,\"maxUs\":%.1f,"
                            + "\"count\":%d,\"errors\":%d,\"lost\":%d,\"serverCores\":%.2f,\"clientCores\":%.2f,"
                            + "\"reqPerSecPerServerCore\":%.0f}",
                    target, payload, conns, inflight, reqPerSec, p50 / 1e3, p99 / 1e3, p999 / 1e3, max / 1e3, count,
                    errors, lost, serverCores, clientCores, serverCores > 0 ? reqPerSec / serverCores : 0);
        }
    }

    private Leg leg(String target, int payload, int conns, int inflight, int warmup, int window) throws Exception {
        String path = target.equals("raw") ? "/raw" : "/ws";
        EchoLoad load = new EchoLoad(payload, inflight);
        int ring = Integer.highestOneBit(Math.max(16, inflight * 4) - 1) << 1;
        String label = String.format(Locale.ROOT, "%-3s %5dB %dx%d", target, payload, conns, inflight);
        long openNs = client.openAll(load, path, conns, Math.max(2048, 2 * load.requestSize() + 512), ring);
        for (IoLoop l : client.loops) {
            l.call(() -> {
                l.histogram.reset();
                l.completed = 0;
                l.errors = 0;
                return null;
            }).get();
        }
        load.phase = 1;
        for (IoLoop l : client.loops) {
            l.execute(() -> l.conns.forEach(load::start));
        }
        progress(label, "warm-up", warmup);
        load.phase = 2;
        long t0 = System.nanoTime();
        long s0 = ProcStats.cpuNanos(client.serverPid);
        long c0 = ProcStats.cpuNanos(ProcessHandle.current().pid());
        progress(label, "measure", window);
        long t1 = System.nanoTime();
        long s1 = ProcStats.cpuNanos(client.serverPid);
        long c1 = ProcStats.cpuNanos(ProcessHandle.current().pid());
        load.phase = 3;
        Histogram h = new Histogram(60_000_000_000L, 3);
        long errors = 0;
        for (IoLoop l : client.loops) {
            h.add(l.call(l.histogram::copy).get());
            errors += l.errors;
        }
        // let the requests in flight land before the connections go
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && inflight() > 0) {
            Thread.sleep(5);
        }
        int lost = load.lost.get() + load.failed.get();
        client.closeAll(load);
        Thread.sleep(300);
        double secs = (t1 - t0) / 1e9;
        double serverCores = s0 < 0 || s1 < 0 ? -1 : (s1 - s0) / 1e9 / secs;
        double clientCores = (c1 - c0) / 1e9 / secs;
        Leg leg = new Leg(target, payload, conns, inflight, h.getTotalCount() / secs,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                h.getTotalCount(), errors, lost, serverCores, clientCores, openNs / 1e9);
        System.err.printf(Locale.ROOT, "  %s: %,.0f req/s  p50 %.0f us  p99 %.0f us  p99.9 %.0f us  "
                        + "errors %d  lost %d  server %.2f cores  client %.2f cores%n", label, leg.reqPerSec,
                leg.p50 / 1e3, leg.p99 / 1e3, leg.p999 / 1e3, errors, lost, serverCores, clientCores);
        if (errors > 0 || lost > 0) {
            System.err.println("  last error: " + load.lastError.get());
        }
        return leg;
    }

    private long inflight() throws Exception {
        long n = 0;
        for (IoLoop l : client.loops) {
            n += l.call(() -> l.conns.stream().mapToLong(c -> c.isOpen() ? c.inflight : 0).sum()).get();
        }
        return n;
    }

    private void progress(String label, String phase, int seconds) throws InterruptedException {
        long start = System.nanoTime();
        long prev = completed();
        for (int s = 1; s <= seconds; s++) {
            long target = start + s * 1_000_000_000L;
            long wait = target - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long now = completed();
            long errs = 0;
            for (IoLoop l : client.loops) {
                errs += l.errors;
            }
            if (phase.equals("measure")) {
                System.err.printf(Locale.ROOT, "  [%s] %s %d/%ds  %,d req/s  errors %d%n", label, phase, s, seconds,
                        now - prev, errs);
            } else {
                System.err.printf(Locale.ROOT, "  [%s] %s %d/%ds%n", label, phase, s, seconds);
            }
            prev = now;
        }
    }

    private long completed() {
        long n = 0;
        for (IoLoop l : client.loops) {
            n += l.completed;
        }
        return n;
    }

    void run() throws Exception {
        int warmup = client.intOpt("warmup", 3);
        int window = client.intOpt("window", 8);
        String[] payloads = client.opts.getOrDefault("payloads", "64,4096").split(",");
        String[] shapes = client.opts.getOrDefault("shapes", "50x8,1000x1").split(",");
        String[] targets = client.opts.getOrDefault("legs", "ws,raw,ws,raw").split(",");
        String io = client.opts.getOrDefault("io", "worker");
        String mode = client.opts.getOrDefault("mode", "default");
        int prewarm = client.intOpt("prewarm", 6);
        String loadBefore = BenchClient.loadavg();
        if (prewarm > 0) {
            // JIT-compile both paths before the first measured leg, or the first leg pays for it
            System.err.println("  pre-warm: " + prewarm + " s per target (not measured)");
            for (String t : new String[] {"ws", "raw"}) {
                leg(t, Integer.parseInt(payloads[0]), 50, 8, prewarm, 1);
            }
        }
        List<String[]> cases = cases(shapes, payloads, client.opts.get("cases"));
        List<Leg> legs = new ArrayList<>();
        for (String[] c : cases) {
            int conns = Integer.parseInt(c[0].split("x")[0]);
            int k = Integer.parseInt(c[0].split("x")[1]);
            for (String t : targets) {
                legs.add(leg(t, Integer.parseInt(c[1]), conns, k, warmup, window));
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%nScenario 1: wsrv router (ws) vs raw Tyrus (raw), io=%s, "
                + "mode=%s, warm-up %d s, window %d s, client threads %d%n", io, mode, warmup, window, client.loops.length));
        table.append("load average before: " + loadBefore + ", after: " + BenchClient.loadavg() + " (other processes on the machine"
                + " skew absolute figures; the alternation A B A B and req/s per server core are the robust ones)\n");
        table.append(String.format(Locale.ROOT, "%-4s %7s %8s %10s %9s %9s %9s %6s %7s %7s %9s%n", "leg", "payload",
                "shape", "req/s", "p50 us", "p99 us", "p99.9 us", "errors", "srv cpu", "cli cpu", "req/s/core"));
        for (Leg l : legs) {
            table.append(String.format(Locale.ROOT, "%-4s %7d %8s %,10.0f %9.0f %9.0f %9.0f %6d %7.2f %7.2f %,9.0f%n",
                    l.target, l.payload, l.shape(), l.reqPerSec, l.p50 / 1e3, l.p99 / 1e3, l.p999 / 1e3,
                    l.errors + l.lost, l.serverCores, l.clientCores,
                    l.serverCores > 0 ? l.reqPerSec / l.serverCores : 0));
        }
        table.append(String.format(Locale.ROOT, "%nRatio router/raw (mean of the legs of each; per server core: "
                + "req/s over the server's CPU):%n"));
        table.append(String.format(Locale.ROOT, "%-11s %-14s %7s %8s %10s %10s %7s %10s %10s %7s %10s %10s%n", "io",
                "mode", "payload", "shape", "ws req/s", "raw req/s", "ratio", "ws /core", "raw /core", "ratio",
                "ws p99 us", "raw p99 us"));
        StringBuilder summary = new StringBuilder();
        for (String[] c : cases) {
            String shape = c[0];
            int payload = Integer.parseInt(c[1]);
            double ws = mean(legs, "ws", payload, shape, Leg::reqPerSec);
            double raw = mean(legs, "raw", payload, shape, Leg::reqPerSec);
            double wsCore = mean(legs, "ws", payload, shape, Leg::perCore);
            double rawCore = mean(legs, "raw", payload, shape, Leg::perCore);
            double wsP99 = mean(legs, "ws", payload, shape, l -> (double) l.p99) / 1e3;
            double rawP99 = mean(legs, "raw", payload, shape, l -> (double) l.p99) / 1e3;
            double ratio = raw > 0 ? ws / raw : Double.NaN;
            double coreRatio = rawCore > 0 ? wsCore / rawCore : Double.NaN;
            table.append(String.format(Locale.ROOT, "%-11s %-14s %7d %8s %,10.0f %,10.0f %6.1f%% %,10.0f %,10.0f "
                            + "%6.1f%% %10.0f %10.0f%n", io, mode, payload, shape, ws, raw, ratio * 100, wsCore,
                    rawCore, coreRatio * 100, wsP99, rawP99));
            summary.append(summary.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"payload\":%d,\"shape\":\"%s\",\"wsReqPerSec\":%s,\"rawReqPerSec\":%s,\"ratio\":%s,"
                            + "\"wsPerCore\":%s,\"rawPerCore\":%s,\"perCoreRatio\":%s,\"wsP99us\":%s,"
                            + "\"rawP99us\":%s}",
                    payload, shape, json(ws), json(raw), json(ratio), json(wsCore), json(rawCore), json(coreRatio),
                    json(wsP99), json(rawP99)));
        }
        System.out.println(table);
        StringBuilder json = new StringBuilder("{\"scenario\":\"echo\",\"io\":\"" + io + "\",\"mode\":\"" + mode
                + "\",\"loadavgBefore\":\""
                + loadBefore + "\",\"warmupS\":" + warmup
                + ",\"windowS\":" + window + ",\"legs\":[");
        for (int i = 0; i < legs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(legs.get(i).json());
        }
        json.append("],\"ratios\":[").append(summary).append("]}");
        System.out.println("RESULT_JSON " + json);
    }

    /**
     * The cases to run, in order: {@code --cases 50x8:64,50x8:4096} names each shape with its payload; without it,
     * every shape of {@code --shapes} with every payload of {@code --payloads}.
     */
    private static List<String[]> cases(String[] shapes, String[] payloads, String named) {
        List<String[]> cases = new ArrayList<>();
        if (named != null) {
            for (String c : named.split(",")) {
                String[] sp = c.split(":");
                if (sp.length != 2) {
                    throw new IllegalArgumentException("--cases wants SHAPE:PAYLOAD,...: " + c);
                }
                cases.add(sp);
            }
            return cases;
        }
        for (String shape : shapes) {
            for (String p : payloads) {
                cases.add(new String[] {shape, p});
            }
        }
        return cases;
    }

    /** A number for the result line: {@code null} when a target had no leg (JSON has no NaN). */
    private static String json(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static double mean(List<Leg> legs, String target, int payload, String shape,
                               java.util.function.ToDoubleFunction<Leg> f) {
        return legs.stream().filter(l -> l.target.equals(target) && l.payload == payload && l.shape().equals(shape))
                .mapToDouble(f).average().orElse(Double.NaN);
    }
}
