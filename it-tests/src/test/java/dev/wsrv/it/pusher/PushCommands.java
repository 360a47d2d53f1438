package dev.wsrv.it.pusher;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.PushResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import java.util.Map;

/** Handlers the pusher tests use to learn a session's id and to bind it to users and groups. */
@ApplicationScoped
public class PushCommands {

    /** The request data of {@code login}, {@code join} and {@code leave}. */
    public record Name(String name) {
    }

    @Command("whoami")
    public Map<String, String> whoami(Context ctx) {
        return Map.of("id", ctx.sessionId());
    }

    @Command("login")
    public Map<String, String> login(Context ctx, Name user) {
        ctx.bindUser(user.name());
        return Map.of("id", ctx.sessionId(), "user", user.name());
    }

    @Command("join")
    public Map<String, String> join(Context ctx, Name group) {
        ctx.join(group.name());
        return Map.of("id", ctx.sessionId(), "group", group.name());
    }

    @Command("leave")
    public Map<String, String> leave(Context ctx, Name group) {
        ctx.leave(group.name());
        return Map.of("id", ctx.sessionId(), "group", group.name());
    }

    @Command("echo")
    public JsonValue echo(JsonValue data) {
        return data;
    }

    /** Pushes to its own session through {@code ctx.push}, then answers with the push's outcome. */
    @Command("selfpush")
    public Map<String, Object> selfpush(Context ctx, Name cmd) {
        PushResult r = ctx.push(cmd.name(), Map.of("from", "ctx")).toCompletableFuture().join();
        return Map.of("reached", r.reached());
    }
}
