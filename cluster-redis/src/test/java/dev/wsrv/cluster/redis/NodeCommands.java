package dev.wsrv.cluster.redis;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.PushResult;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionOpened;
import dev.wsrv.SessionResumed;
import dev.wsrv.Pusher;
import dev.wsrv.Sessions;
import dev.wsrv.WsException;
import dev.wsrv.runtime.session.PushTransport;
import dev.wsrv.runtime.session.SessionDirectory;
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

    @Inject
    Sessions sessions;

    /** The cluster's directory; none on the node without Redis, whose embedded server deploys no directory. */
    @Inject
    Instance<SessionDirectory> directories;

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

    @Command("leave")
    public Map<String, Object> leave(Context ctx) {
        ctx.leave(field(ctx.data(), "group"));
        return Map.of();
    }

    /**
     * {@code {"user":"u","group":"g"}}: this node's id and the cluster-wide answers of {@link Sessions} about them.
     */
    @Command("presence")
    public CompletionStage<Map<String, Object>> presence(Context ctx) {
        String user = field(ctx.data(), "user");
        String group = field(ctx.data(), "group");
        Map<String, Object> m = new java.util.concurrent.ConcurrentHashMap<>();
        m.put("node", sessions.node());
        return sessions.nodesOfUser(user).thenCompose(nodes -> {
            m.put("nodes", nodes);
            return sessions.onlineAnywhere(user);
        }).thenCompose(online -> {
            m.put("online", online);
            return sessions.groupSizeInCluster(group);
        }).thenCompose(size -> {
            m.put("groupSize", size);
            return sessions.countInCluster();
        }).thenApply(count -> {
            m.put("count", count);
            return m;
        });
    }

    /** {@code {"user":...,"group":...}} (both optional): the directory's listing. */
    @Command("directory")
    public CompletionStage<Map<String, Object>> directory(Context ctx) {
        JsonObject d = ctx.data() instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        SessionDirectory directory = directories.get();
        return directory.listing(d.getString("user", null), d.getString("group", null), 100).thenApply(l -> Map.of(
                "node", directory.node(),
                "silent", l.silent(),
                "entries", l.entries().stream().map(e -> Map.of("id", e.id(), "node", e.node(),
                        "user", e.user() == null ? "" : e.user(), "groups", e.groups(),
                        "address", String.valueOf(e.remoteAddress()))).toList()));
    }

    /** {@code {"id":"...","code":4001,"reason":"..."}}: closes the session through the directory. */
    @Command("dirclose")
    public CompletionStage<Map<String, Object>> dirclose(Context ctx) {
        JsonObject d = (JsonObject) ctx.data();
        return directories.get().close(field(d, "id"), d.getInt("code"), field(d, "reason"))
                .thenApply(closed -> Map.of("closed", closed));
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
