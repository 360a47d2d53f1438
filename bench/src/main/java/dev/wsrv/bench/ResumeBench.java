package dev.wsrv.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 6: what resumable sessions cost a broadcast. Legs alternate between plain sessions and resumable ones
 * ({@code ?wsrv.resume=new}: each push is numbered per session and kept in its log); each leg opens the sessions,
 * broadcasts round after round from the first node, and reports the time until the first and the last session has
 * each round, and the first node's heap after a full GC once the rounds are done (the logs hold every round). With
 * {@code --port2} the sessions are split between two nodes of a Redis cluster, so that half of them get the broadcast
 * through the stream.
 */
final class ResumeBench {

    private final BenchClient client;

    ResumeBench(BenchClient client) {
        this.client = client;
    }

    /** One leg's figures. */
    record Leg(String mode, int sessions, int rounds, Histogram last, Histogram first, int incomplete, long heap) {
        String json() {
            return String.format(Locale.ROOT, "{\"mode\":\"%s\",\"sessions\":%d,\"rounds\":%d,\"lastP50ms\":%.2f,"
                            + "\"lastP99ms\":%.2f,\"lastMaxMs\":%.2f,\"firstP50ms\":%.2f,\"incompleteRounds\":%d,"
                            + "\"heapAfterRounds\":%d}", mode, sessions, rounds, ms(last, 50), ms(last, 99),
                    last.getMaxValue() / 1e6, ms(first, 50), incomplete, heap);
        }
    }

    void run() throws Exception {
        int n = client.intOpt("conns", 10_000);
        int rounds = client.intOpt("rounds", 30);
        int warm = client.intOpt("warmup-rounds", 5);
        int gapMs = client.intOpt("gap-ms", 200);
        int port2 = client.intOpt("port2", 0);
        String[] legs = client.opts.getOrDefault("legs", "plain,resume,plain,resume").split(",");
        client.control();
        client.heartbeats(client.intOpt("heartbeat-ms", 10_000));
        List<Leg> results = new ArrayList<>();
        for (String mode : legs) {
            String path = switch (mode) {
                case "plain" -> "/ws";
                case "resume" -> "/ws?wsrv.resume=new";
                default -> throw new IllegalArgumentException("unknown leg " + mode + " (plain or resume)");
            };
            FanoutBench.Fanout f = new FanoutBench.Fanout(rounds + warm);
            long openNs;
            if (port2 > 0) {
                openNs = client.openAll(f, path, n / 2, 1024, 16);
                openNs += client.openAll(f, port2, path, n - n / 2, 1024, 16, null, client.loops);
            } else {
                openNs = client.openAll(f, path, n, 1024, 16);
            }
            int opened = f.opened.get();
            System.err.printf(Locale.ROOT, "  [%s] %d sessions open in %.2f s%n", mode, opened, openNs / 1e9);
            Histogram last = new Histogram(60_000_000_000L, 3);
            Histogram first = new Histogram(60_000_000_000L, 3);
            int incomplete = 0;
            for (int r = 0; r < rounds + warm; r++) {
                long[] sent = new long[1];
                client.command("broadcast", "{\"round\":" + r + "}", () -> sent[0] = System.nanoTime())
                        .get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (f.got[r].get() < opened - f.lost.get() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                boolean measured = r >= warm;
                if (measured) {
                    incomplete += f.got[r].get() < opened - f.lost.get() ? 1 : 0;
                    last.recordValue(Math.max(0, f.last[r].get() - sent[0]));
                    first.recordValue(Math.max(0, f.first[r].get() - sent[0]));
                }
                System.err.printf(Locale.ROOT, "  [%s] round %d/%d%s: %d received, last %.1f ms%n", mode, r + 1,
                        rounds + warm, measured ? "" : " (warm-up)", f.got[r].get(), (f.last[r].get() - sent[0]) / 1e6);
                Thread.sleep(gapMs);
            }
            long heap = BenchClient.field(client.command("stats", "{}", null).get(60, TimeUnit.SECONDS), "heapUsed");
            results.add(new Leg(mode, opened, rounds, last, first, incomplete, heap));
            if (f.lost.get() > 0 || f.failed.get() > 0) {
                System.err.println("  last error: " + f.lastError.get());
            }
            client.closeAll(f);
            client.controlClosed();
        }
        report(n, port2 > 0 ? 2 : 1, rounds + warm, results);
    }

    private static void report(int n, int nodes, int broadcasts, List<Leg> legs) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%nScenario 6: broadcast to %d sessions on %d "
                + "node(s), plain and resumable%n", n, nodes));
        t.append(String.format(Locale.ROOT, "%-7s %8s %12s %12s %12s %12s %10s %14s%n", "leg", "sessions", "last p50",
                "last p99", "last max", "first p50", "incomplete", "heap after"));
        for (Leg l : legs) {
            t.append(String.format(Locale.ROOT, "%-7s %8d %9.1f ms %9.1f ms %9.1f ms %9.1f ms %10d %11.1f MiB%n",
                    l.mode(), l.sessions(), ms(l.last(), 50), ms(l.last(), 99), l.last().getMaxValue() / 1e6,
                    ms(l.first(), 50), l.incomplete(), l.heap() / 1048576.0));
        }
        long plain = legs.stream().filter(l -> l.mode().equals("plain")).mapToLong(Leg::heap).min().orElse(0);
        long resume = legs.stream().filter(l -> l.mode().equals("resume")).mapToLong(Leg::heap).min().orElse(0);
        int onFirst = nodes == 2 ? n / 2 : n;
        if (plain > 0 && resume > 0) {
            t.append(String.format(Locale.ROOT, "heap of resumable over plain sessions on the first node: %,d bytes,"
                    + " %.0f B per session holding %d pushes (%d sessions)%n", resume - plain,
                    (double) (resume - plain) / onFirst, broadcasts, onFirst));
        }
        System.out.println(t);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "RESULT_JSON {\"scenario\":\"resume\",\"conns\":%d,\"nodes\":%d,\"legs\":[", n, nodes));
        for (int i = 0; i < legs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(legs.get(i).json());
        }
        System.out.println(json.append("]}"));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
