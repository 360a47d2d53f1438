package dev.wsrv.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Scenario 3, fan-out: a broadcast to every connection, round after round; reports how long until the first and the
 * last client has each round.
 */
final class FanoutBench {

    private final BenchClient client;

    FanoutBench(BenchClient client) {
        this.client = client;
    }

    /** Load connections that time the arrival of each broadcast round. */
    static final class Fanout extends BenchClient.Base {
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
            int r = BenchClient.indexOf(b, off, end, ROUND);
            if (BenchClient.indexOf(b, off, end, TICK) < 0 || r < 0) {
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

    void run() throws Exception {
        int n = client.intOpt("conns", 10_000);
        int rounds = client.intOpt("rounds", 30);
        int warm = client.intOpt("warmup-rounds", 5);
        int gapMs = client.intOpt("gap-ms", 200);
        client.control();
        Fanout f = new Fanout(rounds + warm);
        client.heartbeats(client.intOpt("heartbeat-ms", 10_000));
        long openNs = client.openAll(f, "/ws", n, 1024, 16);
        int opened = f.opened.get();
        System.err.printf(Locale.ROOT, "  %d connections open in %.2f s%n", opened, openNs / 1e9);
        Histogram lastH = new Histogram(60_000_000_000L, 3);
        Histogram firstH = new Histogram(60_000_000_000L, 3);
        int incomplete = 0;
        for (int r = 0; r < rounds + warm; r++) {
            long[] sent = new long[1];
            CompletableFuture<String> ack = client.command("broadcast", "{\"round\":" + r + "}", () -> sent[0] = System.nanoTime());
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
        String t = String.format(Locale.ROOT, "%nScenario 3: broadcast to %d connections, %d rounds after %d warm-up "
                        + "rounds, client threads %d%n"
                        + "time until the last client has it: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n"
                        + "time until the first client has it: p50 %.1f ms%n"
                        + "incomplete rounds %d, lost connections %d, unexpected messages %d%n",
                opened, rounds, warm, client.loops.length, lastH.getValueAtPercentile(50) / 1e6,
                lastH.getValueAtPercentile(99) / 1e6, lastH.getMaxValue() / 1e6, firstH.getValueAtPercentile(50) / 1e6,
                incomplete, f.lost.get(), f.bad.get());
        client.report(f, t, String.format(Locale.ROOT, "{\"scenario\":\"fanout\",\"conns\":%d,\"rounds\":%d,"
                        + "\"lastP50ms\":%.2f,\"lastP99ms\":%.2f,\"lastMaxMs\":%.2f,\"firstP50ms\":%.2f,"
                        + "\"incompleteRounds\":%d,\"lost\":%d}",
                opened, rounds, lastH.getValueAtPercentile(50) / 1e6, lastH.getValueAtPercentile(99) / 1e6,
                lastH.getMaxValue() / 1e6, firstH.getValueAtPercentile(50) / 1e6, incomplete, f.lost.get()));
    }
}
