package dev.wsrv.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Scenario 4, fairness: calm clients on another loopback address (127.0.0.2) send one {@code echo} each per period
 * (open loop) while flood connections from 127.0.0.1 each send their requests at once and stop reading. Reports the
 * calm clients' latency before and during the flood, their statuses, and the CPU both processes used. A calm request's
 * latency counts from its turn, fixed in advance, not from when the client got round to sending it; how late the
 * client sent is reported on its own. With no flood it is the open-loop latency at a given rate.
 */
final class Fairness {

    private static final String HOST = "127.0.0.1";

    private final BenchClient client;

    Fairness(BenchClient client) {
        this.client = client;
    }


    /** Well-behaved clients: one echo request per period each (open loop), latency from send to reply. */
    static final class Calm extends BenchClient.Base {
        static final byte[] PREFIX = "{\"cmd\":\"echo\",\"seqno\":\"".getBytes(StandardCharsets.US_ASCII);
        static final byte[] SUFFIX = "\",\"data\":{\"p\":\"calm\"}}".getBytes(StandardCharsets.US_ASCII);
        final Histogram before = new Histogram(600_000_000_000L, 3);
        final Histogram during = new Histogram(600_000_000_000L, 3);
        /** During the flood, from the moment the request really left (what the latency was before correction). */
        final Histogram duringFromSend = new Histogram(600_000_000_000L, 3);
        /** During the flood, how late the client sent each request after its turn: the client's own stalls. */
        final Histogram sendLag = new Histogram(600_000_000_000L, 3);
        /** Per connection id, when each request of the ring really left. */
        final Map<Integer, long[]> sentReally = new HashMap<>();
        /** Requests slower than this (from their turn to their reply) go to the slow-request log; 0: none. */
        long slowNs;
        /** Per slow request: its turn, its real send, its reply (System.nanoTime), connection id, seqno. */
        long[] slowLog = new long[5 * 1024];
        int slowCount;
        /** 1 before the flood, 2 during it; touched on the loop thread. */
        int phase;
        /** Per connection id, the first seqno sent during the flood. */
        final Map<Integer, Long> floodFrom = new HashMap<>();
        long ok;
        long tooMany;
        long other;

        /**
         * Sends one request whose turn was at {@code due} (System.nanoTime): its latency counts from then, so that a
         * request the client sends late is not measured as if it had been on time (coordinated omission).
         */
        void send(WsConn c, long due) {
            long seq = c.nextSeq++;
            byte[] digits = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
            c.begin(1, PREFIX.length + digits.length + SUFFIX.length).put(PREFIX).put(digits).put(SUFFIX);
            int slot = (int) (seq & c.mask);
            c.sentSeq[slot] = seq;
            c.sentAt[slot] = due;
            long now = System.nanoTime();
            sentReally(c)[slot] = now;
            if (phase == 2) {
                sendLag.recordValue(Math.max(0, now - due));
            }
        }

        private long[] sentReally(WsConn c) {
            long[] a = sentReally.get(c.id);
            if (a == null) {
                a = new long[c.sentAt.length];
                sentReally.put(c.id, a);
            }
            return a;
        }

        /** Keeps a request slower than the threshold for the slow-request log (at most a million of them). */
        private void slow(WsConn c, long seq, long due, long sent, long now) {
            if (slowNs > 0 && now - due > slowNs && slowCount < 1_000_000) {
                if (slowCount * 5 == slowLog.length) {
                    slowLog = Arrays.copyOf(slowLog, slowLog.length * 2);
                }
                int i = slowCount++ * 5;
                slowLog[i] = due;
                slowLog[i + 1] = sent;
                slowLog[i + 2] = now;
                slowLog[i + 3] = c.id;
                slowLog[i + 4] = seq;
            }
        }

        /** Starts the flood phase: requests from now on count as sent during the flood. */
        void flood(List<WsConn> conns) {
            for (WsConn c : conns) {
                floodFrom.put(c.id, c.nextSeq);
            }
            phase = 2;
        }

        long sentDuringFlood(List<WsConn> conns) {
            long n = 0;
            for (WsConn c : conns) {
                n += c.nextSeq - floodFrom.getOrDefault(c.id, c.nextSeq);
            }
            return n;
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            long now = System.nanoTime();
            int end = off + len;
            int s = BenchClient.indexOf(b, off, end, EchoBench.EchoLoad.SEQ);
            int st = s < 0 ? -1 : BenchClient.indexOf(b, s, end, EchoBench.EchoLoad.STATUS);
            if (s < 0 || st < 0) {
                lastError.set("bad reply");
                return;
            }
            long seq = 0;
            for (int i = s + EchoBench.EchoLoad.SEQ.length; i < end && b.get(i) != '"'; i++) {
                seq = seq * 10 + (b.get(i) - '0');
            }
            int slot = (int) (seq & c.mask);
            if (c.sentSeq[slot] != seq) {
                lastError.set("reply to an unknown request " + seq);
                return;
            }
            c.sentSeq[slot] = -1;
            if (phase == 0) {
                return; // the pre-warm flood: not measured
            }
            long due = c.sentAt[slot];
            if (seq < floodFrom.getOrDefault(c.id, Long.MAX_VALUE)) {
                before.recordValue(now - due);
            } else {
                long sent = sentReally(c)[slot];
                during.recordValue(now - due);
                duringFromSend.recordValue(Math.max(0, now - sent));
                slow(c, seq, due, sent, now);
                int at = st + EchoBench.EchoLoad.STATUS.length;
                if (b.get(at) == '0') {
                    ok++;
                } else if (b.get(at) == '4' && b.get(at + 1) == '2' && b.get(at + 2) == '9') {
                    tooMany++;
                } else {
                    other++;
                }
            }
        }
    }

    /** Flooding clients: each sends its requests at once, then never reads again. */
    static final class Flood extends BenchClient.Base {
        final int requests;

        Flood(int requests) {
            this.requests = requests;
        }

        @Override
        public void opened(WsConn c) {
            super.opened(c);
            byte[] body = "{\"cmd\":\"echo\",\"seqno\":\"x\",\"data\":{\"p\":\"flood\"}}"
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < requests; i++) {
                    c.begin(1, body.length).put(body);
                }
                c.flush();
                c.stopReading();
            } catch (IOException e) {
                c.close(e.toString());
            }
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            // replies that arrived before the connection stopped reading
        }
    }

    void run() throws Exception {
        int calmConns = client.intOpt("calm-conns", 20);
        int rate = client.intOpt("calm-rate", 50);
        String calmFrom = client.opts.getOrDefault("calm-address", "127.0.0.2");
        // /raw: the same calm traffic to the raw Tyrus endpoint, the floor the machine and the container set
        String calmPath = client.opts.getOrDefault("calm-path", "/ws");
        int floodConns = client.intOpt("flood-conns", 200);
        int floodRequests = client.intOpt("flood-requests", 1000);
        int warmup = client.intOpt("warmup", 5);
        int window = client.intOpt("window", 20);
        if (client.loops.length < 2) {
            throw new IllegalArgumentException(
                    "fairness needs --threads 2 or more: the calm clients get a loop of their own");
        }
        IoLoop calmLoop = client.loops[0];
        IoLoop[] floodLoops = Arrays.copyOfRange(client.loops, 1, client.loops.length);
        Calm calm = new Calm();
        client.openAll(calm, calmPath, calmConns, 4096, 4096, InetAddress.getByName(calmFrom), new IoLoop[] {calmLoop});
        if (calm.opened.get() != calmConns) {
            throw new IllegalStateException("calm clients failed to connect: " + calm.lastError.get());
        }
        calm.slowNs = TimeUnit.MICROSECONDS.toNanos((long) (Double.parseDouble(
                client.opts.getOrDefault("slow-ms", "0")) * 1000));
        // the turns are fixed in advance (start + k periods): a ticker or loop that wakes late sends the missed
        // turns at once, each measured from its turn, and its lateness is reported on its own
        long periodNanos = 1_000_000_000L / rate;
        AtomicBoolean ticking = new AtomicBoolean(true);
        // how late the ticker itself woke, apart from the loop thread that sends: which of the two stalls
        Histogram tickerLate = new Histogram(600_000_000_000L, 3);
        Thread ticker = new Thread(() -> {
            long first = System.nanoTime() + periodNanos;
            for (long k = 0; ticking.get(); k++) {
                long due = first + k * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                synchronized (tickerLate) {
                    tickerLate.recordValue(Math.max(0, System.nanoTime() - due));
                }
                calmLoop.execute(() -> {
                    for (WsConn c : calmLoop.conns) {
                        if (c.isOpen()) {
                            try {
                                calm.send(c, due);
                                c.flush();
                            } catch (IOException e) {
                                c.close(e.toString());
                            }
                        }
                    }
                });
            }
        }, "calm-ticker");
        ticker.setDaemon(true);
        ticker.start();
        int prewarm = client.intOpt("prewarm-floods", 1);
        for (int round = 1; round <= prewarm; round++) {
            // the same flood once before the measured one (not measured), so that the server's code for it is
            // compiled, as it would be on a server that has been up for a while
            Flood warm = new Flood(floodRequests);
            client.openAll(warm, "/ws", floodConns, 64 * 1024, 16, null, floodLoops);
            Thread.sleep(TimeUnit.SECONDS.toMillis(window) / 2);
            client.closeAll(warm, floodLoops);
            System.err.printf(Locale.ROOT, "  [fairness] pre-warm flood %d/%d done%n", round, prewarm);
        }
        calmLoop.call(() -> calm.phase = 1).get();
        String loadBefore = BenchClient.loadavg();
        for (int s = 1; s <= warmup; s++) {
            Thread.sleep(1000);
            System.err.printf(Locale.ROOT, "  [fairness] calm only %d/%ds%n", s, warmup);
        }
        calmLoop.call(() -> {
            calm.flood(calmLoop.conns);
            return null;
        }).get();
        synchronized (tickerLate) {
            tickerLate.reset();
        }
        Flood flood = new Flood(floodRequests);
        long serverCpu0 = ProcStats.cpuNanos(client.serverPid);
        long clientCpu0 = ProcStats.cpuNanos(ProcessHandle.current().pid());
        long floodStart = System.nanoTime();
        long openNs = client.openAll(flood, "/ws", floodConns, 64 * 1024, 16, null, floodLoops);
        System.err.printf(Locale.ROOT, "  [fairness] %d flood connections open and sending (%d failed) in %.2f s%n",
                flood.opened.get(), flood.failed.get(), openNs / 1e9);
        long until = floodStart + TimeUnit.SECONDS.toNanos(window);
        while (System.nanoTime() < until) {
            Thread.sleep(1000);
            long[] p99 = calmLoop.call(() -> new long[] {calm.during.getValueAtPercentile(99),
                    calm.during.getMaxValue(), calm.tooMany}).get();
            System.err.printf(Locale.ROOT,
                    "  [fairness] flood %.0f/%ds: calm p99 so far %.1f ms, max %.1f ms, 429s %d%n",
                    (System.nanoTime() - floodStart) / 1e9, window, p99[0] / 1e6, p99[1] / 1e6, p99[2]);
        }
        long serverCpu = ProcStats.cpuNanos(client.serverPid) - serverCpu0;
        long clientCpu = ProcStats.cpuNanos(ProcessHandle.current().pid()) - clientCpu0;
        ticking.set(false);
        Thread.sleep(2000); // the replies to the last requests land
        long[] r = calmLoop.call(() -> new long[] {calm.before.getValueAtPercentile(50),
                calm.before.getValueAtPercentile(99), calm.during.getValueAtPercentile(50),
                calm.during.getValueAtPercentile(99), calm.during.getValueAtPercentile(99.9), calm.during.getMaxValue(),
                calm.during.getTotalCount(), calm.sentDuringFlood(calmLoop.conns), calm.ok, calm.tooMany,
                calm.other, calm.duringFromSend.getValueAtPercentile(99), calm.duringFromSend.getMaxValue(),
                calm.sendLag.getValueAtPercentile(99), calm.sendLag.getMaxValue()}).get();
        double[] tl;
        synchronized (tickerLate) {
            tl = new double[] {tickerLate.getValueAtPercentile(99) / 1e6, tickerLate.getMaxValue() / 1e6};
        }
        System.err.printf(Locale.ROOT, "  [fairness] the ticker thread woke late by p99 %.2f ms, max %.2f ms%n",
                tl[0], tl[1]);
        String slowLog = client.opts.get("slow-log");
        if (slowLog != null) {
            writeSlowLog(calm, java.nio.file.Path.of(slowLog));
        }
        int lostCalm = calm.lost.get();
        if (lostCalm > 0) {
            System.err.println("  calm connections lost; last: " + calm.lastError.get());
        }
        client.closeAll(calm, client.loops);
        client.closeAll(flood, client.loops);
        long unanswered = r[7] - r[6];
        String t = String.format(Locale.ROOT, "%nScenario 4: fairness: %d clients from %s to %s at %d req/s each; "
                        + "after %d s, "
                        + "%d connections from %s send %d requests each and stop reading (the same flood ran %d "
                        + "time(s) before, not measured); window %d s%n"
                        + "load average before: %s%n"
                        + "calm clients before the flood: p50 %.2f ms  p99 %.2f ms%n"
                        + "calm clients during the flood: p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms "
                        + "(from each request's turn)%n"
                        + "  from the real send: p99 %.2f ms  max %.2f ms; the client's own lateness in sending: "
                        + "p99 %.2f ms  max %.2f ms (of which the ticker thread's: p99 %.2f ms  max %.2f ms)%n"
                        + "calm requests during the flood: %d sent, %d answered 0, %d answered 429, %d other, "
                        + "%d unanswered, %d connections lost%n"
                        + "CPU during the window: server %.2f s, client %.2f s%n",
                calmConns, calmFrom, calmPath, rate, warmup, floodConns, HOST, floodRequests, prewarm, window,
                loadBefore,
                r[0] / 1e6, r[1] / 1e6, r[2] / 1e6, r[3] / 1e6, r[4] / 1e6, r[5] / 1e6, r[11] / 1e6, r[12] / 1e6,
                r[13] / 1e6, r[14] / 1e6, tl[0], tl[1], r[7], r[8], r[9], r[10],
                unanswered, lostCalm, serverCpu / 1e9, clientCpu / 1e9);
        System.out.println(t);
        System.out.println(String.format(Locale.ROOT, "RESULT_JSON {\"scenario\":\"fairness\",\"calmPath\":\"%s\","
                        + "\"calmConns\":%d,"
                        + "\"calmRate\":%d,\"floodConns\":%d,\"floodRequests\":%d,\"beforeP99ms\":%.2f,"
                        + "\"duringP50ms\":%.2f,\"duringP99ms\":%.2f,\"duringMaxMs\":%.2f,\"calmSent\":%d,"
                        + "\"calmOk\":%d,\"calm429\":%d,\"calmOther\":%d,\"calmUnanswered\":%d,"
                        + "\"duringP999ms\":%.2f,\"fromSendP99ms\":%.2f,\"sendLagP99ms\":%.2f,\"sendLagMaxMs\":%.2f}",
                calmPath, calmConns, rate, floodConns, floodRequests, r[1] / 1e6, r[2] / 1e6, r[3] / 1e6, r[5] / 1e6,
                r[7], r[8], r[9], r[10], unanswered, r[4] / 1e6, r[11] / 1e6, r[13] / 1e6, r[14] / 1e6));
    }

    /**
     * Writes the slow requests, one a line, with wall-clock times (UTC, microseconds) that line up with the
     * {@code time} decorator of the JVMs' {@code -Xlog} files: when its turn was, how late it left, and how long the
     * reply took from its turn and from its real send.
     */
    private static void writeSlowLog(Calm calm, java.nio.file.Path file) throws IOException {
        long wallMinusNano = java.time.Instant.now().toEpochMilli() * 1_000_000L - System.nanoTime();
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder("# turn(UTC) lateness_ms from_turn_ms from_send_ms conn seqno\n");
        for (int i = 0; i < calm.slowCount * 5; i += 5) {
            long[] l = calm.slowLog;
            sb.append(f.format(java.time.Instant.ofEpochSecond(0, wallMinusNano + l[i])))
                    .append(String.format(Locale.ROOT, " %.3f %.3f %.3f %d %d%n", (l[i + 1] - l[i]) / 1e6,
                            (l[i + 2] - l[i]) / 1e6, (l[i + 2] - l[i + 1]) / 1e6, l[i + 3], l[i + 4]));
        }
        java.nio.file.Files.writeString(file, sb);
        System.err.printf(Locale.ROOT, "  [fairness] %d slow requests written to %s%n", calm.slowCount, file);
    }
}
