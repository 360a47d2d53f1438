package dev.wsrv.it.core;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.WsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Tiny handlers, one per behaviour the core tests check. */
@ApplicationScoped
public class CoreCommands {

    /** Same shape as the request; binding and validation are tested through it. */
    public record Point(@Min(0) int x, @Max(10) int y, @NotBlank String label) {
    }

    @Command("echo")
    public JsonValue echo(JsonValue data) {
        return data;
    }

    @Command("nothing")
    public void nothing(Context ctx) {
        ctx.ok();
    }

    @Command("boom")
    public void boom() {
        throw new IllegalStateException("secret internal detail");
    }

    @Command("refuse")
    public void refuse() {
        throw new WsException(4001, "custom refusal", Map.of("hint", "try later"));
    }

    @Command("point")
    public Map<String, Object> point(Point p) {
        return Map.of("sum", p.x() + p.y(), "label", p.label());
    }

    @Command("points")
    public int points(List<Point> points) {
        return points.size();
    }

    @Command("later")
    public CompletionStage<Map<String, String>> later(Context ctx) {
        return CompletableFuture.supplyAsync(() -> Map.of("seqno", ctx.seqno()));
    }

    @Command("laterFails")
    public CompletionStage<String> laterFails() {
        return CompletableFuture.failedFuture(new WsException(409, "conflict later"));
    }

    @Command("silent")
    public void silent(Context ctx) {
        // answers nothing: the protocol says -1 not implement
    }

    @Command("remember")
    public void remember(Context ctx) {
        ctx.set("value", ctx.data().toString());
        ctx.ok();
    }

    @Command("recall")
    public Map<String, Object> recall(Context ctx) {
        String v = ctx.get("value");
        return v == null ? Map.of("session", ctx.sessionId()) : Map.of("session", ctx.sessionId(), "value", v);
    }

    /**
     * Tells whether a session's requests run one at a time and in order: its data is a number, and it answers the
     * number of the session's previous {@code seq} and whether another {@code seq} of the session was running.
     */
    @Command("seq")
    public Map<String, Object> seq(Context ctx, int n) {
        AtomicInteger running = ctx.get("running");
        if (running == null) {
            running = new AtomicInteger();
            ctx.set("running", running);
        }
        boolean overlap = running.incrementAndGet() != 1;
        // a tenth of a millisecond in which a request of the same session running beside this one would show
        LockSupport.parkNanos(100_000);
        running.decrementAndGet();
        Integer previous = ctx.get("last");
        ctx.set("last", n);
        return Map.of("seqno", ctx.seqno(), "previous", previous == null ? -1 : previous, "overlap", overlap);
    }
}
