package dev.wsrv.cluster.redis;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.PushResult;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionOpened;
import dev.wsrv.SessionResumed;
import dev.wsrv.Pusher;
import dev.wsrv.WsException;
import dev.wsrv.runtime.session.PushTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    /** The session events of this node, by session id: opened, detached, resumed, closed. */
    private final Map<String, Map<String, Integer>> events = new java.util.concurrent.ConcurrentHashMap<>();

    void opened(@Observes SessionOpened e) {
        count(e.id(), "opened");
    }

    void detached(@Observes SessionDetached e) {
        count(e.id(), "detached");
    }

    void resumed(@Observes SessionResumed e) {
        count(e.id(), "resumed");
    }

    void closed(@Observes SessionClosed e) {
        count(e.id(), "closed");
    }

    private void count(String id, String event) {
        events.computeIfAbsent(id, k -> new java.util.concurrent.ConcurrentHashMap<>()).merge(event, 1, Integer::sum);
    }

    /** {@code {"id":"..."}}: how often each session event fired on this node for that session. */
    @Command("events")
    public Map<String, Integer> events(Context ctx) {
        return Map.copyOf(events.getOrDefault(field(ctx.data(), "id"), Map.of()));
    }

    /** Sets the session attribute {@code note} to a map, which JSON-B can write. */
    @Command("note")
    public Map<String, Object> note(Context ctx) {
        ctx.set("note", Map.of("text", field(ctx.data(), "text")));
        return Map.of();
    }

    /** Answers the session's user and its attribute {@code note}. */
    @Command("state")
    public Map<String, Object> state(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", ctx.user().orElse(""));
        Object note = ctx.get("note");
        m.put("note", note == null ? Map.of() : note);
        return m;
    }

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
