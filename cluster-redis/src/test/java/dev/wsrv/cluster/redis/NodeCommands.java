package dev.wsrv.cluster.redis;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.WsException;
import dev.wsrv.runtime.session.PushTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Commands of the test node: who am I, bind a user, join a group, push through the Pusher, the live nodes. */
@ApplicationScoped
public class NodeCommands {

    @Inject
    Pusher pusher;

    @Inject
    Instance<PushTransport> transport;

    @Inject
    Instance<RedisPushTransport> redis;

    @Command("whoami")
    public Map<String, Object> whoami(Context ctx) {
        return Map.of("id", ctx.sessionId());
    }

    @Command("login")
    public Map<String, Object> login(Context ctx) {
        ctx.bindUser(field(ctx.data(), "user"));
        return Map.of();
    }

    @Command("join")
    public Map<String, Object> join(Context ctx) {
        ctx.join(field(ctx.data(), "group"));
        return Map.of();
    }

    @Command("transport")
    public Map<String, Object> transport() {
        return Map.of("resolvable", transport.isResolvable());
    }

    /** How many live nodes this node sees in the node set; 0 without Redis. */
    @Command("nodes")
    public Map<String, Object> nodes() {
        return Map.of("live", redis.isResolvable() ? redis.get().nodes().live().size() : 0);
    }

    /** {@code {"kind":"session|user|group|all","key":"...","cmd":"x","data":...}}: answers the PushResult. */
    @Command("pushto")
    public CompletionStage<Map<String, Object>> pushto(Context ctx) {
        JsonValue d = ctx.data();
        String kind = field(d, "kind");
        String cmd = field(d, "cmd");
        JsonValue data = ((JsonObject) d).getOrDefault("data", JsonValue.NULL);
        CompletionStage<PushResult> r = switch (kind) {
            case "session" -> pusher.push(field(d, "key"), cmd, data);
            case "user" -> pusher.pushToUser(field(d, "key"), cmd, data);
            case "group" -> pusher.pushToGroup(field(d, "key"), cmd, data);
            case "all" -> pusher.broadcast(cmd, data);
            default -> throw new WsException(422, "unknown kind");
        };
        return r.thenApply(NodeCommands::describe);
    }

    private static Map<String, Object> describe(PushResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivered", r.delivered());
        m.put("failures", r.failures().stream().map(f -> Map.of("id", f.sessionId(), "reason", f.reason())).toList());
        m.put("remoteNodes", r.remoteNodes());
        return m;
    }

    private static String field(JsonValue data, String name) {
        if (data instanceof JsonObject o && o.get(name) instanceof jakarta.json.JsonString s) {
            return s.getString();
        }
        throw new WsException(422, name + " missing");
    }

    static List<Class<?>> beans() {
        return List.of(NodeCommands.class);
    }
}
