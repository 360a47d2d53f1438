package dev.wsrv.it.core;

import dev.wsrv.AppliesTo;
import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Middleware;
import dev.wsrv.Reply;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.json.JsonObject;
import java.util.Map;

/** Middleware beans and handlers for {@link MiddlewareTest}. */
final class MiddlewareBeans {

    private MiddlewareBeans() {
    }

    /** Declared first but runs second: priority decides, not declaration or discovery order. */
    @ApplicationScoped
    @Priority(20)
    public static class Second implements Middleware {
        @Override
        public void handle(Context ctx) {
            Trace.add(ctx, "second:before");
            ctx.next();
            Reply r = ctx.response();
            Trace.add(ctx, "second:after:" + (r == null ? "none" : r.status()));
        }
    }

    @ApplicationScoped
    @Priority(10)
    public static class First implements Middleware {
        @Override
        public void handle(Context ctx) {
            Trace.add(ctx, "first:before");
            ctx.next();
            Trace.add(ctx, "first:after");
            if (ctx.cmd().equals("traced") || ctx.cmd().equals("explode")) {
                // rewrite the response after the chain: the onion lets the outer middleware see and change it
                Reply r = ctx.response();
                ctx.error(r.status() == 0 ? 299 : r.status() + 1000, "seen:" + r.msg(),
                        Map.of("trace", Trace.take(ctx)));
            }
        }
    }

    /** Returns without next(): the chain goes on. */
    @Dependent
    @Priority(30)
    public static class Passive implements Middleware {
        @Override
        public void handle(Context ctx) {
            Trace.add(ctx, "passive");
        }
    }

    /** Only for the "gate" command: aborts with a status. */
    @ApplicationScoped
    @Priority(40)
    @AppliesTo("gate")
    public static class Gate implements Middleware {
        @Override
        public void handle(Context ctx) {
            Trace.add(ctx, "gate");
            if (ctx.data().toString().equals("\"closed\"")) {
                ctx.abort(403, "gate closed");
            }
        }
    }

    /** Only for "stop": aborts without a status, so the response is whatever was set (nothing: -1). */
    @ApplicationScoped
    @Priority(41)
    @AppliesTo({"stop"})
    public static class Stop implements Middleware {
        @Override
        public void handle(Context ctx) {
            ctx.abort();
            Trace.add(ctx, "stop:aborted=" + ctx.isAborted());
        }
    }

    /** Only for "room": reads the request's data as JSON-P before the handler binds the same data to a record. */
    @ApplicationScoped
    @Priority(42)
    @AppliesTo("room")
    public static class Peek implements Middleware {
        @Override
        public void handle(Context ctx) {
            JsonObject data = ctx.data().asJsonObject();
            Trace.add(ctx, "peek:" + data.get("name") + ":same=" + (ctx.data() == data));
        }
    }

    /** What the "room" handler binds. */
    public record Room(String name, int size) { }

    @ApplicationScoped
    public static class Handlers {
        @Command("room")
        public Map<String, Object> room(Room room, Context ctx) {
            Trace.add(ctx, "handler:" + room.name() + "/" + room.size());
            return Map.of("trace", Trace.take(ctx));
        }

        @Command("traced")
        public String traced(Context ctx) {
            Trace.add(ctx, "handler");
            return "done";
        }

        @Command("gate")
        public Map<String, Object> gate(Context ctx) {
            Trace.add(ctx, "handler");
            return Map.of("trace", Trace.take(ctx));
        }

        @Command("stop")
        public void stop(Context ctx) {
            Trace.add(ctx, "handler");
            ctx.ok();
        }

        @Command("explode")
        public void explode(Context ctx) {
            Trace.add(ctx, "handler");
            throw new IllegalArgumentException("boom");
        }

        @Command("trace")
        public Map<String, Object> trace(Context ctx) {
            return Map.of("trace", Trace.take(ctx));
        }
    }
}
