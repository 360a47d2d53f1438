package dev.wsrv.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Scenario 4: a broadcast to every session of one cluster node, handed over by Redis the two ways the cluster module
 * knows: appended to the cluster's stream ({@code XADD MAXLEN ~}, which the node reads with {@code XREAD BLOCK}; what
 * nodes publish) and published on the pub/sub channel ({@code PUBLISH}, which the node's subscription receives; what
 * nodes published before the stream, and what services outside the cluster may still do). This process publishes the
 * same cluster message both ways, in alternating legs: first many broadcasts with no session on the node, for the
 * command's round trip and Redis' CPU per broadcast ({@code INFO cpu}, averaged), then rounds to every session, for
 * the time until the first and the last client has it.
 */
final class BackplaneBench {

    private static final String CHANNEL = "wsrv:push";
    private static final String STREAM = CHANNEL + ":stream";

    private final BenchClient client;
    private final Map<String, String> opts;

    BackplaneBench(BenchClient client, Map<String, String> opts) {
        this.client = client;
        this.opts = opts;
    }

    /** What one broadcast costs Redis: the command's round trip and Redis' CPU, over many broadcasts. */
    record Cost(String mode, int count, Histogram command, double redisCpuUs) {
        String json() {
            return String.format(Locale.ROOT, "{\"mode\":\"%s\",\"count\":%d,\"commandP50ms\":%.3f,"
                    + "\"commandP99ms\":%.3f,\"redisCpuUsPerBroadcast\":%.1f}", mode, count, ms(command, 50),
                    ms(command, 99), redisCpuUs);
        }
    }

    /** How long a broadcast takes to reach the sessions. */
    record Leg(String mode, int rounds, Histogram last, Histogram first, int incomplete) {
        String json() {
            return String.format(Locale.ROOT, "{\"mode\":\"%s\",\"rounds\":%d,\"lastP50ms\":%.2f,"
                            + "\"lastP99ms\":%.2f,\"lastMaxMs\":%.2f,\"firstP50ms\":%.2f,\"incompleteRounds\":%d}",
                    mode, rounds, ms(last, 50), ms(last, 99), last.getMaxValue() / 1e6, ms(first, 50), incomplete);
        }
    }

    void run() throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("conns", "10000"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "30"));
        int warm = Integer.parseInt(opts.getOrDefault("warmup-rounds", "5"));
        int gapMs = Integer.parseInt(opts.getOrDefault("gap-ms", "200"));
        int count = Integer.parseInt(opts.getOrDefault("commands", "2000"));
        int payload = Integer.parseInt(opts.getOrDefault("payload", "200"));
        long maxLen = Long.parseLong(opts.getOrDefault("max-len", "10000"));
        String[] legs = opts.getOrDefault("legs", "stream,pubsub,stream,pubsub").split(",");
        int redisPort = Integer.parseInt(opts.getOrDefault("redis-port", "6379"));

        RedisClient redisClient = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            XAddArgs append = new XAddArgs().maxlen(maxLen).approximateTrimming();
            Publisher publish = (mode, message) -> {
                switch (mode) {
                    case "stream" -> redis.xadd(STREAM, append, Map.of("m", message));
                    case "pubsub" -> redis.publish(CHANNEL, message);
                    default -> throw new IllegalArgumentException("unknown leg " + mode + " (stream or pubsub)");
                }
            };

            // part 1: the cost in Redis, with no session on the node (it still reads or receives every broadcast)
            List<Cost> costs = new ArrayList<>();
            for (String mode : legs) {
                Histogram command = new Histogram(60_000_000_000L, 3);
                for (int i = 0; i < count / 10; i++) {
                    publish.send(mode, message("cost", 0, payload)); // warm-up
                }
                double cpu0 = redisCpuSeconds(redis);
                for (int i = 0; i < count; i++) {
                    String message = message("cost", 0, payload);
                    long t0 = System.nanoTime();
                    publish.send(mode, message);
                    command.recordValue(System.nanoTime() - t0);
                }
                double cpuUs = (redisCpuSeconds(redis) - cpu0) * 1e6 / count;
                costs.add(new Cost(mode, count, command, cpuUs));
                System.err.printf(Locale.ROOT, "  [%s] %d broadcasts: command p50 %.3f ms, Redis CPU %.1f µs each%n",
                        mode, count, ms(command, 50), cpuUs);
            }

            // part 2: how long until the last of the sessions has it
            FanoutBench.Fanout f = new FanoutBench.Fanout(legs.length * (rounds + warm));
            client.heartbeats(Integer.parseInt(opts.getOrDefault("heartbeat-ms", "10000")));
            long openNs = client.openAll(f, "/ws", n, 1024, 16);
            int opened = f.opened.get();
            System.err.printf(Locale.ROOT, "  %d connections open in %.2f s%n", opened, openNs / 1e9);
            List<Leg> results = new ArrayList<>();
            int round = 0;
            for (String mode : legs) {
                Histogram last = new Histogram(60_000_000_000L, 3);
                Histogram first = new Histogram(60_000_000_000L, 3);
                int incomplete = 0;
                for (int r = 0; r < rounds + warm; r++, round++) {
                    String message = message("tick", round, payload);
                    long t0 = System.nanoTime();
                    publish.send(mode, message);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (f.got[round].get() < opened - f.lost.get() && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    boolean measured = r >= warm;
                    if (measured) {
                        incomplete += f.got[round].get() < opened - f.lost.get() ? 1 : 0;
                        last.recordValue(Math.max(0, f.last[round].get() - t0));
                        first.recordValue(Math.max(0, f.first[round].get() - t0));
                    }
                    System.err.printf(Locale.ROOT, "  [%s] round %d/%d%s: %d received, first %.1f ms, last %.1f ms%n",
                            mode, r + 1, rounds + warm, measured ? "" : " (warm-up)", f.got[round].get(),
                            (f.first[round].get() - t0) / 1e6, (f.last[round].get() - t0) / 1e6);
                    Thread.sleep(gapMs);
                }
                results.add(new Leg(mode, rounds, last, first, incomplete));
            }
            Long streamBytes = redis.memoryUsage(STREAM);
            report(opened, payload, costs, results, streamBytes == null ? 0 : streamBytes, redis.xlen(STREAM));
            if (f.lost.get() > 0 || f.failed.get() > 0) {
                System.err.println("  last error: " + f.lastError.get());
            }
            client.closeAll(f);
        } finally {
            redisClient.shutdown();
        }
    }

    /** Hands one message to Redis the way a leg says. */
    private interface Publisher {
        void send(String mode, String message);
    }

    /** A cluster message as a node writes it, to everyone, with a push envelope of about {@code size} bytes. */
    private static String message(String cmd, int round, int size) {
        String head = "{\"cmd\":\"" + cmd + "\",\"seqno\":\"bench-" + round + "\",\"status\":0,\"msg\":\"ok\","
                + "\"data\":{\"round\":" + round + ",\"p\":\"";
        String envelope = head + "x".repeat(Math.max(0, size - head.length() - 3)) + "\"}}";
        return "{\"v\":1,\"origin\":\"bench\",\"target\":\"all\",\"key\":\"\",\"binary\":false,\"text\":\""
                + envelope.replace("\"", "\\\"") + "\"}";
    }

    /** Redis' CPU time so far (user and system), in seconds. */
    private static double redisCpuSeconds(RedisCommands<String, String> redis) {
        double total = 0;
        for (String line : redis.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    private static void report(int opened, int payload, List<Cost> costs, List<Leg> legs, long streamBytes,
                               long streamLength) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%nScenario 4: broadcast through Redis to "
                + "%d sessions of one node, push envelope %d B%n", opened, payload));
        t.append(String.format(Locale.ROOT, "%-7s %8s %12s %12s %12s%n", "leg", "count", "command p50",
                "command p99", "Redis CPU"));
        for (Cost c : costs) {
            t.append(String.format(Locale.ROOT, "%-7s %8d %9.3f ms %9.3f ms %9.1f µs%n", c.mode(), c.count(),
                    ms(c.command(), 50), ms(c.command(), 99), c.redisCpuUs()));
        }
        t.append(String.format(Locale.ROOT, "%-7s %8s %12s %12s %12s %12s %10s%n", "leg", "rounds", "last p50",
                "last p99", "last max", "first p50", "incomplete"));
        for (Leg l : legs) {
            t.append(String.format(Locale.ROOT, "%-7s %8d %9.1f ms %9.1f ms %9.1f ms %9.1f ms %10d%n", l.mode(),
                    l.rounds(), ms(l.last(), 50), ms(l.last(), 99), l.last().getMaxValue() / 1e6, ms(l.first(), 50),
                    l.incomplete()));
        }
        t.append(String.format(Locale.ROOT, "stream: %d entries, %,d bytes in Redis (%,.0f B per entry)%n",
                streamLength, streamBytes, streamLength == 0 ? 0.0 : (double) streamBytes / streamLength));
        System.out.println(t);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "RESULT_JSON {\"scenario\":\"backplane\",\"conns\":%d,\"payload\":%d,\"streamEntries\":%d,"
                        + "\"streamBytes\":%d,\"costs\":[", opened, payload, streamLength, streamBytes));
        for (int i = 0; i < costs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(costs.get(i).json());
        }
        json.append("],\"legs\":[");
        for (int i = 0; i < legs.size(); i++) {
            json.append(i == 0 ? "" : ",").append(legs.get(i).json());
        }
        System.out.println(json.append("]}"));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
