package dev.wsrv.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The load generator: {@code echo} (scenario 1, router against raw Tyrus), {@code conns} (scenario 2, idle
 * connections), {@code fanout} (scenario 3, broadcast to every connection), {@code fairness} (scenario 4, a flood
 * from one address against well-behaved clients on another) and {@code backplane} (scenario 5, a broadcast through
 * Redis, {@link BackplaneBench}). It talks to a {@link BenchServer}
 * in another process over 127.0.0.1; every phase is bounded in time. Progress goes to stderr, the results table
 * and one line {@code RESULT_JSON {...}} to stdout.
 */
public final class BenchClient {

    private static final String HOST = "127.0.0.1";

    final Map<String, String> opts;
    private final int port;
    final long serverPid;
    final IoLoop[] loops;

    private BenchClient(Map<String, String> opts) {
        this.opts = opts;
        this.port = Integer.parseInt(req("port"));
        this.serverPid = Long.parseLong(opts.getOrDefault("server-pid", "-1"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        loops = new IoLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new IoLoop(i);
        }
    }

    private String req(String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    int intOpt(String key, int def) {
        return Integer.parseInt(opts.getOrDefault(key, String.valueOf(def)));
    }

    /**
     * Runs one scenario.
     *
     * @param args {@code echo|conns|fanout|backplane --port N [--server-pid P] [options]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: BenchClient echo|conns|fanout|backplane --port N [--server-pid P] "
                    + "[--key value]...");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option: " + args[i]);
            }
            String k = args[i].substring(2);
            opts.put(k, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
        BenchClient client = new BenchClient(opts);
        switch (args[0]) {
            case "echo" -> client.echo();
            case "conns" -> client.conns();
            case "fanout" -> client.fanout();
            case "fairness" -> new Fairness(client).run();
            case "backplane" -> new BackplaneBench(client, opts).run();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        for (IoLoop l : client.loops) {
            l.stop();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- connections

    /** Open bookkeeping shared by the scenarios. */
    abstract static class Base implements WsConn.Listener {
        final Semaphore pending = new Semaphore(200);
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicReference<String> lastError = new AtomicReference<>();
        volatile boolean closing;

        @Override
        public void opened(WsConn c) {
            opened.incrementAndGet();
            pending.release();
        }

        @Override
        public void closed(WsConn c, String why) {
            if (why.startsWith("not opened")) {
                failed.incrementAndGet();
                pending.release();
                lastError.set(why);
            } else if (!closing) {
                lost.incrementAndGet();
                lastError.set(why);
            }
        }
    }

    /** Opens n connections at at most 200 handshakes at a time; returns the time it took in ns. */
    long openAll(Base listener, String path, int n, int bufferSize, int ringSize) throws InterruptedException {
        return openAll(listener, path, n, bufferSize, ringSize, null, loops);
    }

    /** Opens n connections from a local address on the given loops; returns the time it took in ns. */
    long openAll(Base listener, String path, int n, int bufferSize, int ringSize, java.net.InetAddress local,
                         IoLoop[] on) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress(HOST, port);
        int before = listener.opened.get() + listener.failed.get();
        long t0 = System.nanoTime();
        long lastPrint = t0;
        for (int i = 0; i < n; i++) {
            if (!listener.pending.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connections stalled: " + listener.lastError.get());
            }
            IoLoop loop = on[i % on.length];
            int id = i;
            loop.execute(() -> {
                WsConn c = new WsConn(loop, id, listener, HOST, port, path, bufferSize);
                c.sentAt = new long[ringSize];
                c.sentSeq = new long[ringSize];
                c.mask = ringSize - 1;
                loop.conns.add(c);
                try {
                    c.connect(address, local);
                } catch (IOException | RuntimeException e) {
                    c.close(String.valueOf(e));
                }
            });
            long now = System.nanoTime();
            if (now - lastPrint > 1_000_000_000L) {
                lastPrint = now;
                System.err.printf(Locale.ROOT, "  opening %s: %d/%d open, %d failed%n", path,
                        listener.opened.get(), n, listener.failed.get());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (listener.opened.get() + listener.failed.get() - before < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        long took = System.nanoTime() - t0;
        if (listener.failed.get() > 0) {
            System.err.println("  " + listener.failed.get() + " connections failed: " + listener.lastError.get());
        }
        return took;
    }

    void closeAll(Base listener) throws Exception {
        closeAll(listener, loops);
    }

    /** Closes every connection of the given loops. */
    void closeAll(Base listener, IoLoop[] on) throws Exception {
        listener.closing = true;
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (IoLoop l : on) {
            done.add(l.call(() -> {
                int n = l.conns.size();
                l.conns.forEach(WsConn::shutdown);
                l.conns.clear();
                return n;
            }));
        }
        for (CompletableFuture<Integer> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- scenario 1: echo

    /** The closed loop: every reply is matched by seqno and answered by the next request on its connection. */
    static final class EchoLoad extends Base {
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
            int s = indexOf(b, off, end, SEQ);
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
            int st = s < 0 ? -1 : indexOf(b, s, end, STATUS);
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

    static int indexOf(ByteBuffer b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b.get(i + j) != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    record Leg(String target, int payload, int conns, int inflight, double reqPerSec, long p50, long p99, long p999,
               long max, long count, long errors, long lost, double serverCores, double clientCores,
               double openSeconds) {
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
        long openNs = openAll(load, path, conns, Math.max(2048, 2 * load.requestSize() + 512), ring);
        for (IoLoop l : loops) {
            l.call(() -> {
                l.histogram.reset();
                l.completed = 0;
                l.errors = 0;
                return null;
            }).get();
        }
        load.phase = 1;
        for (IoLoop l : loops) {
            l.execute(() -> l.conns.forEach(load::start));
        }
        progress(label, "warm-up", warmup);
        load.phase = 2;
        long t0 = System.nanoTime();
        long s0 = ProcStats.cpuNanos(serverPid);
        long c0 = ProcStats.cpuNanos(ProcessHandle.current().pid());
        progress(label, "measure", window);
        long t1 = System.nanoTime();
        long s1 = ProcStats.cpuNanos(serverPid);
        long c1 = ProcStats.cpuNanos(ProcessHandle.current().pid());
        load.phase = 3;
        Histogram h = new Histogram(60_000_000_000L, 3);
        long errors = 0;
        for (IoLoop l : loops) {
            h.add(l.call(l.histogram::copy).get());
            errors += l.errors;
        }
        // let the requests in flight land before the connections go
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && inflight() > 0) {
            Thread.sleep(5);
        }
        int lost = load.lost.get() + load.failed.get();
        closeAll(load);
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
        for (IoLoop l : loops) {
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
            for (IoLoop l : loops) {
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
        for (IoLoop l : loops) {
            n += l.completed;
        }
        return n;
    }

    private void echo() throws Exception {
        int warmup = intOpt("warmup", 3);
        int window = intOpt("window", 8);
        String[] payloads = opts.getOrDefault("payloads", "64,4096").split(",");
        String[] shapes = opts.getOrDefault("shapes", "50x8,1000x1").split(",");
        String[] targets = opts.getOrDefault("legs", "ws,raw,ws,raw").split(",");
        String io = opts.getOrDefault("io", "worker");
        int prewarm = intOpt("prewarm", 6);
        String loadBefore = loadavg();
        if (prewarm > 0) {
            // JIT-compile both paths before the first measured leg, or the first leg pays for it
            System.err.println("  pre-warm: " + prewarm + " s per target (not measured)");
            for (String t : new String[] {"ws", "raw"}) {
                leg(t, Integer.parseInt(payloads[0]), 50, 8, prewarm, 1);
            }
        }
        List<Leg> legs = new ArrayList<>();
        for (String shape : shapes) {
            int conns = Integer.parseInt(shape.split("x")[0]);
            int k = Integer.parseInt(shape.split("x")[1]);
            for (String p : payloads) {
                for (String t : targets) {
                    legs.add(leg(t, Integer.parseInt(p), conns, k, warmup, window));
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%nScenario 1: wsrv router (ws) vs raw Tyrus (raw), io=%s, "
                + "warm-up %d s, window %d s, client threads %d%n", io, warmup, window, loops.length));
        table.append("load average before: " + loadBefore + ", after: " + loadavg() + " (other processes on the machine"
                + " skew absolute figures; the alternation A B A B and req/s per server core are the robust ones)\n");
        table.append(String.format(Locale.ROOT, "%-4s %7s %8s %10s %9s %9s %9s %6s %7s %7s %9s%n", "leg", "payload",
                "shape", "req/s", "p50 us", "p99 us", "p99.9 us", "errors", "srv cpu", "cli cpu", "req/s/core"));
        for (Leg l : legs) {
            table.append(String.format(Locale.ROOT, "%-4s %7d %8s %,10.0f %9.0f %9.0f %9.0f %6d %7.2f %7.2f %,9.0f%n",
                    l.target, l.payload, l.shape(), l.reqPerSec, l.p50 / 1e3, l.p99 / 1e3, l.p999 / 1e3,
                    l.errors + l.lost, l.serverCores, l.clientCores,
                    l.serverCores > 0 ? l.reqPerSec / l.serverCores : 0));
        }
        table.append(String.format(Locale.ROOT, "%nRatio router/raw (mean of the legs of each):%n"));
        table.append(String.format(Locale.ROOT, "%7s %8s %10s %10s %7s %12s %12s%n", "payload", "shape",
                "ws req/s", "raw req/s", "ratio", "ws p99 us", "raw p99 us"));
        StringBuilder summary = new StringBuilder();
        for (String shape : shapes) {
            for (String p : payloads) {
                int payload = Integer.parseInt(p);
                double ws = mean(legs, "ws", payload, shape, Leg::reqPerSec);
                double raw = mean(legs, "raw", payload, shape, Leg::reqPerSec);
                double wsP99 = mean(legs, "ws", payload, shape, l -> (double) l.p99) / 1e3;
                double rawP99 = mean(legs, "raw", payload, shape, l -> (double) l.p99) / 1e3;
                double ratio = raw > 0 ? ws / raw : Double.NaN;
                table.append(String.format(Locale.ROOT, "%7d %8s %,10.0f %,10.0f %6.1f%% %12.0f %12.0f%n", payload,
                        shape, ws, raw, ratio * 100, wsP99, rawP99));
                summary.append(summary.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"payload\":%d,\"shape\":\"%s\",\"wsReqPerSec\":%.0f,\"rawReqPerSec\":%.0f,\"ratio\":%.3f}",
                        payload, shape, ws, raw, ratio));
            }
        }
        System.out.println(table);
        StringBuilder json = new StringBuilder("{\"scenario\":\"echo\",\"io\":\"" + io + "\",\"loadavgBefore\":\""
                + loadBefore + "\",\"warmupS\":" + warmup
                + ",\"windowS\":" + window + ",\"legs\":[");
        for (int i = 0; i < legs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(legs.get(i).json());
        }
        json.append("],\"ratios\":[").append(summary).append("]}");
        System.out.println("RESULT_JSON " + json);
    }

    static String loadavg() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static double mean(List<Leg> legs, String target, int payload, String shape,
                               java.util.function.ToDoubleFunction<Leg> f) {
        return legs.stream().filter(l -> l.target.equals(target) && l.payload == payload && l.shape().equals(shape))
                .mapToDouble(f).average().orElse(Double.NaN);
    }

    // ---------------------------------------------------------------- control connection

    /** One connection for commands to the server (stats, broadcast); pushes to it are ignored. */
    static final class Control extends Base {
        volatile CompletableFuture<String> reply;
        volatile String expectSeqno;
        WsConn conn;

        @Override
        public void opened(WsConn c) {
            conn = c;
            super.opened(c);
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            String text = StandardCharsets.UTF_8.decode(b.duplicate().position(off).limit(off + len)).toString();
            CompletableFuture<String> f = reply;
            if (f != null && text.contains("\"seqno\":\"" + expectSeqno + "\"")) {
                f.complete(text);
            }
        }
    }

    private Control control;
    private int controlSeq;

    private Control control() throws Exception {
        if (control == null) {
            control = new Control();
            openAll(control, "/ws", 1, 4096, 16);
            if (control.opened.get() != 1) {
                throw new IllegalStateException("control connection failed: " + control.lastError.get());
            }
        }
        return control;
    }

    /** Sends a command on the control connection; onSent runs on the loop thread right after the write. */
    private CompletableFuture<String> command(String cmd, String data, Runnable onSent) throws Exception {
        Control c = control();
        String seqno = "c" + (++controlSeq);
        CompletableFuture<String> f = new CompletableFuture<>();
        c.expectSeqno = seqno;
        c.reply = f;
        byte[] text = ("{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
        c.conn.loop.execute(() -> {
            if (onSent != null) {
                onSent.run();
            }
            try {
                c.conn.sendText(text);
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---------------------------------------------------------------- scenario 2: idle connections

    /** Idle connections: they only heartbeat; every loop sends one empty frame per connection each period. */
    static class Idle extends Base {
        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            // nothing is expected
        }
    }

    void heartbeats(int periodMs) {
        for (IoLoop l : loops) {
            long[] next = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(periodMs)};
            l.onTick(() -> {
                long now = System.nanoTime();
                if (now < next[0]) {
                    return;
                }
                next[0] = now + TimeUnit.MILLISECONDS.toNanos(periodMs);
                for (WsConn c : l.conns) {
                    if (c.isOpen()) {
                        try {
                            c.begin(1, 0);
                            c.flush();
                        } catch (IOException e) {
                            c.close(e.toString());
                        }
                    }
                }
            });
        }
    }

    private void conns() throws Exception {
        int n = intOpt("conns", 10_000);
        int hold = intOpt("hold", 15);
        int hb = intOpt("heartbeat-ms", 10_000);
        String before = command("stats", "{}", null).get(30, TimeUnit.SECONDS);
        Idle idle = new Idle();
        heartbeats(hb);
        long openNs = openAll(idle, "/ws", n, 1024, 16);
        int opened = idle.opened.get();
        System.err.printf(Locale.ROOT, "  %d connections open in %.2f s; holding %d s with heartbeats every %d ms%n",
                opened, openNs / 1e9, hold, hb);
        String after = command("stats", "{}", null).get(60, TimeUnit.SECONDS);
        for (int s = 1; s <= hold; s++) {
            Thread.sleep(1000);
            System.err.printf(Locale.ROOT, "  [conns %d] hold %d/%ds  open %d  lost %d%n", n, s, hold,
                    idle.opened.get() - idle.lost.get(), idle.lost.get());
        }
        String end = command("stats", "{}", null).get(60, TimeUnit.SECONDS);
        int alive = idle.opened.get() - idle.lost.get();
        long sessions = field(end, "sessions") - 1;
        double heapPer = (double) (field(after, "heapUsed") - field(before, "heapUsed")) / Math.max(1, opened);
        double rssPer = (double) (field(after, "rss") - field(before, "rss")) / Math.max(1, opened);
        double heapPerEnd = (double) (field(end, "heapUsed") - field(before, "heapUsed")) / Math.max(1, opened);
        if (idle.lost.get() > 0 || idle.failed.get() > 0) {
            System.err.println("  last error: " + idle.lastError.get());
        }
        closeAll(idle);
        String t = String.format(Locale.ROOT, "%nScenario 2: %d idle connections (heartbeat every %d ms), "
                        + "client threads %d%n"
                        + "opened %d (failed %d) in %.2f s (%,.0f conn/s); after %d s: %d alive on the client, "
                        + "%d sessions on the server%n"
                        + "server heap after GC: %,d -> %,d bytes = %,.0f B per connection (%,.0f after the hold)%n"
                        + "server RSS: %,d -> %,d bytes = %,.0f B per connection%n",
                n, hb, loops.length, opened, idle.failed.get(), openNs / 1e9, opened / (openNs / 1e9), hold, alive,
                sessions, field(before, "heapUsed"), field(after, "heapUsed"), heapPer, heapPerEnd,
                field(before, "rss"), field(after, "rss"), rssPer);
        System.out.println(t);
        System.out.println(String.format(Locale.ROOT, "RESULT_JSON {\"scenario\":\"conns\",\"conns\":%d,\"opened\":%d,"
                        + "\"failed\":%d,\"openSeconds\":%.3f,\"aliveAfterHold\":%d,\"serverSessions\":%d,"
                        + "\"heapBytesPerConn\":%.0f,\"heapBytesPerConnAfterHold\":%.0f,\"rssBytesPerConn\":%.0f}",
                n, opened, idle.failed.get(), openNs / 1e9, alive, sessions, heapPer, heapPerEnd, rssPer));
    }

    // ---------------------------------------------------------------- scenario 3: fan-out

    /** Load connections that time the arrival of each broadcast round. */
    static final class Fanout extends Base {
        static final byte[] TICK = "\"cmd\":\"tick\"".getBytes(StandardCharsets.US_ASCII);
        static final byte[] ROUND = "\"round\":".getBytes(StandardCharsets.US_ASCII);
        final AtomicInteger[] got;
        final AtomicLong[] first;
        final AtomicLong[] last;
        final AtomicInteger bad = new AtomicInteger();

        Fanout(int rounds) {
            got = new AtomicInteger[rounds];
            first = new AtomicLong[rounds];
            last = new AtomicLong[rounds];
            for (int i = 0; i < rounds; i++) {
                got[i] = new AtomicInteger();
                first[i] = new AtomicLong();
                last[i] = new AtomicLong();
            }
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            long now = System.nanoTime();
            int end = off + len;
            int r = indexOf(b, off, end, ROUND);
            if (indexOf(b, off, end, TICK) < 0 || r < 0) {
                bad.incrementAndGet();
                return;
            }
            int round = 0;
            for (int i = r + ROUND.length; i < end && b.get(i) >= '0' && b.get(i) <= '9'; i++) {
                round = round * 10 + (b.get(i) - '0');
            }
            if (round >= got.length) {
                bad.incrementAndGet();
                return;
            }
            first[round].compareAndSet(0, now);
            last[round].accumulateAndGet(now, Math::max);
            got[round].incrementAndGet();
        }
    }

    private void fanout() throws Exception {
        int n = intOpt("conns", 10_000);
        int rounds = intOpt("rounds", 30);
        int warm = intOpt("warmup-rounds", 5);
        int gapMs = intOpt("gap-ms", 200);
        control();
        Fanout f = new Fanout(rounds + warm);
        heartbeats(intOpt("heartbeat-ms", 10_000));
        long openNs = openAll(f, "/ws", n, 1024, 16);
        int opened = f.opened.get();
        System.err.printf(Locale.ROOT, "  %d connections open in %.2f s%n", opened, openNs / 1e9);
        Histogram lastH = new Histogram(60_000_000_000L, 3);
        Histogram firstH = new Histogram(60_000_000_000L, 3);
        int incomplete = 0;
        for (int r = 0; r < rounds + warm; r++) {
            long[] sent = new long[1];
            CompletableFuture<String> ack = command("broadcast", "{\"round\":" + r + "}", () -> sent[0] = System.nanoTime());
            ack.get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (f.got[r].get() < opened - f.lost.get() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            int got = f.got[r].get();
            long lastNs = f.last[r].get() - sent[0];
            long firstNs = f.first[r].get() - sent[0];
            boolean measured = r >= warm;
            if (got < opened - f.lost.get()) {
                incomplete += measured ? 1 : 0;
            }
            if (measured) {
                lastH.recordValue(Math.max(0, lastNs));
                firstH.recordValue(Math.max(0, firstNs));
            }
            System.err.printf(Locale.ROOT, "  [fanout %d] round %d/%d%s: %d received, first %.1f ms, last %.1f ms%n",
                    n, r + 1, rounds + warm, measured ? "" : " (warm-up)", got, firstNs / 1e6, lastNs / 1e6);
            Thread.sleep(gapMs);
        }
        if (f.lost.get() > 0 || f.failed.get() > 0) {
            System.err.println("  last error: " + f.lastError.get());
        }
        closeAll(f);
        String t = String.format(Locale.ROOT, "%nScenario 3: broadcast to %d connections, %d rounds after %d warm-up "
                        + "rounds, client threads %d%n"
                        + "time until the last client has it: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n"
                        + "time until the first client has it: p50 %.1f ms%n"
                        + "incomplete rounds %d, lost connections %d, unexpected messages %d%n",
                opened, rounds, warm, loops.length, lastH.getValueAtPercentile(50) / 1e6,
                lastH.getValueAtPercentile(99) / 1e6, lastH.getMaxValue() / 1e6, firstH.getValueAtPercentile(50) / 1e6,
                incomplete, f.lost.get(), f.bad.get());
        System.out.println(t);
        System.out.println(String.format(Locale.ROOT, "RESULT_JSON {\"scenario\":\"fanout\",\"conns\":%d,\"rounds\":%d,"
                        + "\"lastP50ms\":%.2f,\"lastP99ms\":%.2f,\"lastMaxMs\":%.2f,\"firstP50ms\":%.2f,"
                        + "\"incompleteRounds\":%d,\"lost\":%d}",
                opened, rounds, lastH.getValueAtPercentile(50) / 1e6, lastH.getValueAtPercentile(99) / 1e6,
                lastH.getMaxValue() / 1e6, firstH.getValueAtPercentile(50) / 1e6, incomplete, f.lost.get()));
    }
}
