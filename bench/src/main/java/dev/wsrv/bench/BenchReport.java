package dev.wsrv.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the rows of the README's Performance tables from the {@code RESULT_JSON} lines of the scenarios'
 * outputs ({@code bench/run.sh report} runs them and calls this): every echo case with its IO strategy and execution
 * mode, wsrv and raw Tyrus per server core and their ratio; the fan-out; the heap per idle connection; the p99 at half
 * of the maximum throughput; each against its target.
 */
public final class BenchReport {

    private BenchReport() {
    }

    /**
     * Prints the rows.
     *
     * @param args the files that hold the scenarios' output
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<JsonObject> results = new ArrayList<>();
        for (String a : args) {
            for (String line : Files.readAllLines(Path.of(a))) {
                if (line.startsWith("RESULT_JSON ")) {
                    results.add(Json.createReader(new StringReader(line.substring(12))).readObject());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| case | IO | mode | wsrv req/s | raw Tyrus req/s | wsrv per server core | raw per server core"
                + " | wsrv / raw per core (target ≥ 0.90) | wsrv p99 ms |\n|---|---|---|---|---|---|---|---|---|\n");
        for (JsonObject r : results) {
            if (!"echo".equals(r.getString("scenario"))) {
                continue;
            }
            for (JsonValue v : r.getJsonArray("ratios")) {
                JsonObject c = v.asJsonObject();
                out.append(String.format(Locale.ROOT,
                        "| %s, %s | %s | %s | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %.1f |%n",
                        c.getString("shape"), size(c.getInt("payload")), r.getString("io"),
                        r.getString("mode", "default"), num(c, "wsReqPerSec"), num(c, "rawReqPerSec"),
                        num(c, "wsPerCore"), num(c, "rawPerCore"), num(c, "perCoreRatio"), num(c, "wsP99us") / 1e3));
            }
        }
        out.append('\n');
        for (JsonObject r : results) {
            switch (r.getString("scenario")) {
                case "fanout" -> out.append(String.format(Locale.ROOT, "fan-out to %,d connections, %d rounds: last"
                                + " has it p50 %.0f ms, p99 %.0f ms (target ≤ 250 ms), first p50 %.1f ms, incomplete"
                                + " rounds %d%n", r.getInt("conns"), r.getInt("rounds"), num(r, "lastP50ms"),
                        num(r, "lastP99ms"), num(r, "firstP50ms"), r.getInt("incompleteRounds")));
                case "conns" -> out.append(String.format(Locale.ROOT, "idle connections: %,.0f B of heap per"
                                + " connection after GC, %,.0f B after the hold (target ≤ 16 KB), %,.0f B RSS%n",
                        num(r, "heapBytesPerConn"), num(r, "heapBytesPerConnAfterHold"), num(r, "rssBytesPerConn")));
                case "fairness" -> out.append(String.format(Locale.ROOT, "open loop to %s at %,d req/s (%d"
                        + " connections x %d/s, half of the maximum): p50 %.2f ms, p99 %.2f ms"
                        + " (target ≤ 5 ms), p99.9 %.2f ms, max %.2f ms, from each request's turn; from the"
                        + " real send p99 %.2f ms; the client late by p99 %.2f ms, max %.2f ms; unanswered %d%n",
                        r.getString("calmPath", "/ws"), r.getInt("calmConns") * r.getInt("calmRate"),
                        r.getInt("calmConns"), r.getInt("calmRate"), num(r, "duringP50ms"), num(r, "duringP99ms"),
                        num(r, "duringP999ms"), num(r, "duringMaxMs"), num(r, "fromSendP99ms"),
                        num(r, "sendLagP99ms"), num(r, "sendLagMaxMs"), r.getInt("calmUnanswered")));
                default -> { }
            }
        }
        System.out.print(out);
    }

    private static double num(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof jakarta.json.JsonNumber n ? n.doubleValue() : Double.NaN;
    }

    private static String size(int payload) {
        return payload >= 1024 && payload % 1024 == 0 ? payload / 1024 + " KiB" : payload + " B";
    }
}
