package dev.wsrv.bench;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2, idle connections: opens many connections that only heartbeat, holds them, and reports how fast they
 * opened and the server's heap and RSS per connection.
 */
final class ConnsBench {

    private final BenchClient client;

    ConnsBench(BenchClient client) {
        this.client = client;
    }

    /** Idle connections: they only heartbeat; every loop sends one empty frame per connection each period. */
    static class Idle extends BenchClient.Base {
        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            // nothing is expected
        }
    }

    void run() throws Exception {
        int n = client.intOpt("conns", 10_000);
        int hold = client.intOpt("hold", 15);
        int hb = client.intOpt("heartbeat-ms", 10_000);
        String before = client.command("stats", "{}", null).get(30, TimeUnit.SECONDS);
        Idle idle = new Idle();
        client.heartbeats(hb);
        long openNs = client.openAll(idle, "/ws", n, 1024, 16);
        int opened = idle.opened.get();
        System.err.printf(Locale.ROOT, "  %d connections open in %.2f s; holding %d s with heartbeats every %d ms%n",
                opened, openNs / 1e9, hold, hb);
        String after = client.command("stats", "{}", null).get(60, TimeUnit.SECONDS);
        for (int s = 1; s <= hold; s++) {
            Thread.sleep(1000);
            System.err.printf(Locale.ROOT, "  [conns %d] hold %d/%ds  open %d  lost %d%n", n, s, hold,
                    idle.opened.get() - idle.lost.get(), idle.lost.get());
        }
        String end = client.command("stats", "{}", null).get(60, TimeUnit.SECONDS);
        int alive = idle.opened.get() - idle.lost.get();
        long sessions = BenchClient.field(end, "sessions") - 1;
        double heapPer = (double) (BenchClient.field(after, "heapUsed") - BenchClient.field(before, "heapUsed")) / Math.max(1, opened);
        double rssPer = (double) (BenchClient.field(after, "rss") - BenchClient.field(before, "rss")) / Math.max(1, opened);
        double heapPerEnd = (double) (BenchClient.field(end, "heapUsed") - BenchClient.field(before, "heapUsed")) / Math.max(1, opened);
        String t = String.format(Locale.ROOT, "%nScenario 2: %d idle connections (heartbeat every %d ms), "
                        + "client threads %d%n"
                        + "opened %d (failed %d) in %.2f s (%,.0f conn/s); after %d s: %d alive on the client, "
                        + "%d sessions on the server%n"
                        + "server heap after GC: %,d -> %,d bytes = %,.0f B per connection (%,.0f after the hold)%n"
                        + "server RSS: %,d -> %,d bytes = %,.0f B per connection%n",
                n, hb, client.loops.length, opened, idle.failed.get(), openNs / 1e9, opened / (openNs / 1e9), hold, alive,
                sessions, BenchClient.field(before, "heapUsed"), BenchClient.field(after, "heapUsed"), heapPer, heapPerEnd,
                BenchClient.field(before, "rss"), BenchClient.field(after, "rss"), rssPer);
        client.report(idle, t, String.format(Locale.ROOT, "{\"scenario\":\"conns\",\"conns\":%d,\"opened\":%d,"
                        + "\"failed\":%d,\"openSeconds\":%.3f,\"aliveAfterHold\":%d,\"serverSessions\":%d,"
                        + "\"heapBytesPerConn\":%.0f,\"heapBytesPerConnAfterHold\":%.0f,\"rssBytesPerConn\":%.0f}",
                n, opened, idle.failed.get(), openNs / 1e9, alive, sessions, heapPer, heapPerEnd, rssPer));
    }
}
