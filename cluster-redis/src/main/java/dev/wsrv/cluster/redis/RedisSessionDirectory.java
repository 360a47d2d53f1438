package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.codec.Json;
import dev.wsrv.runtime.session.LocalSessionDirectory;
import dev.wsrv.runtime.session.SessionDirectory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.annotation.Priority;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The {@link SessionDirectory} of a Redis cluster: this node answers for itself, and asks the others on the pub/sub
 * channel {@code <channel>:directory}; each node answers on its own channel {@code <channel>:directory:<node>}. The
 * asking node waits for every node its node set counts alive, at most the command timeout
 * ({@code wsrv.redis.timeoutMs}); {@link #listing} names the nodes that did not answer by then, and {@link #close}
 * fails when none closed the session and one did not answer. Never a wait without a bound. A close code outside
 * 1000 to 4999, or a reason over 123 bytes in UTF-8, fails the close before any node is asked. Deployed only when
 * {@code wsrv.redis.uri} is set, in place of {@link LocalSessionDirectory}.
 *
 * <p>Thread-safe. The messages are described in docs/protocol.md#cluster-presence-and-directory.
 */
@ApplicationScoped
@Alternative
@Priority(100)
public class RedisSessionDirectory implements SessionDirectory {

    private static final Logger LOG = Logger.getLogger(RedisSessionDirectory.class.getName());
    /** The most entries one node sends for one listing. */
    static final int MAX_LIMIT = 10_000;

    @Inject
    RedisPushTransport transport;

    /** This node's part: the runtime's bean, which this one replaces as the {@link SessionDirectory}. */
    @Inject
    LocalSessionDirectory local;

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private String requests;
    private String replies;
    private Duration timeout;
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile boolean closed;

    @PostConstruct
    void start() {
        RedisSettings settings = RedisSettings.fromEnvironment();
        requests = settings.channel() + ":directory";
        replies = requests + ":" + transport.nodeId();
        timeout = settings.timeout();
        subscribe();
    }

    /** Starts with the application, so that this node answers the others from the start. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        LOG.fine(() -> "wsrv: Redis session directory on " + requests);
    }

    /** Subscribes to both channels, or tries again a second later; Lettuce subscribes again after a reconnect. */
    private synchronized void subscribe() {
        RedisClient client = transport.client();
        if (closed || subscriber != null || client == null) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received(channel, message);
                }
            });
            sub.sync().subscribe(requests, replies);
            subscriber = sub;
        } catch (RuntimeException e) {
            LOG.fine(() -> "wsrv: the session directory cannot subscribe yet: " + Lettuce.reason(e));
            CompletableFuture.runAsync(this::subscribe, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
        }
    }

    @Override
    public String node() {
        return transport.nodeId();
    }

    @Override
    public CompletionStage<List<Entry>> list(String user, String group, int limit) {
        return listing(user, group, limit).thenApply(Listing::entries);
    }

    @Override
    public CompletionStage<Listing> listing(String user, String group, int limit) {
        int max = Math.max(1, Math.min(limit, MAX_LIMIT));
        List<Entry> own = local.entries(node(), user, group, max);
        JsonObjectBuilder req = request("list").add("limit", max);
        if (user != null) {
            req.add("user", user);
        }
        if (group != null) {
            req.add("group", group);
        }
        return ask(req).thenApply(p -> {
            List<Entry> all = new ArrayList<>(own);
            for (JsonObject answer : p.answers.values()) {
                for (JsonValue v : answer.getJsonArray("entries")) {
                    if (all.size() >= max) {
                        break;
                    }
                    all.add(entry(answer.getString("node"), v.asJsonObject()));
                }
            }
            return new Listing(all, p.silent());
        });
    }

    @Override
    public CompletionStage<Boolean> close(String sessionId, int code, String reason) {
        if (code < 1000 || code > 4999 || reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a close code is 1000 to 4999 and its reason at most 123 bytes in UTF-8: " + code));
        }
        if (local.closeHere(sessionId, code, reason)) {
            return CompletableFuture.completedFuture(true);
        }
        JsonObjectBuilder req = request("close").add("session", sessionId).add("code", code).add("reason", reason);
        return ask(req).thenApply(p -> {
            if (p.answers.values().stream().anyMatch(a -> a.getBoolean("closed", false))) {
                return true;
            }
            Set<String> silent = p.silent();
            if (!silent.isEmpty()) {
                throw new java.util.concurrent.CompletionException(new TimeoutException(
                        "no node closed session " + sessionId + " and these did not answer in time: " + silent));
            }
            return false;
        });
    }

    private JsonObjectBuilder request(String op) {
        return Json.builders().createObjectBuilder().add("v", 1).add("op", op).add("id", UUID.randomUUID().toString())
                .add("from", node());
    }

    /**
     * Publishes a request and completes with the answers of the other live nodes, once all answered or the timeout
     * passed; a close completes at the first node that closed the session.
     */
    private CompletionStage<Pending> ask(JsonObjectBuilder request) {
        JsonObject req = request.build();
        Set<String> expected = new HashSet<>(transport.nodes().live());
        expected.remove(node());
        Pending p = new Pending(expected, "close".equals(req.getString("op")));
        StatefulRedisConnection<String, String> c = transport.connection();
        if (expected.isEmpty() || c == null || subscriber == null) {
            p.done.complete(p);
            return p.done;
        }
        String id = req.getString("id");
        pending.put(id, p);
        try {
            c.async().publish(requests, req.toString()).whenComplete((n, e) -> {
                if (e != null) {
                    LOG.fine(() -> "wsrv: a directory request failed: " + Lettuce.reason(e));
                    p.done.complete(p);
                }
            });
        } catch (RuntimeException e) {
            p.done.complete(p);
        }
        p.done.completeOnTimeout(p, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return p.done.whenComplete((r, e) -> pending.remove(id));
    }

    private void received(String channel, String message) {
        JsonObject m;
        try (JsonReader r = Json.provider().createReader(new StringReader(message))) {
            m = r.readObject();
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: dropped a directory message of " + message.length() + " chars on "
                    + LogText.safe(channel) + ": not a JSON object");
            return;
        }
        try {
            if (requests.equals(channel)) {
                // off Lettuce's event loop: a close writes to a connection
                CompletableFuture.runAsync(() -> answer(m)).exceptionally(e -> {
                    LOG.warning(() -> "wsrv: dropped a directory request: " + LogText.safe(Lettuce.reason(e)));
                    return null;
                });
            } else if (replies.equals(channel)) {
                Pending p = pending.get(m.getString("id"));
                if (p != null) {
                    p.answered(m.getString("node"), m);
                }
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: dropped a directory message on " + LogText.safe(channel) + ": "
                    + LogText.safe(String.valueOf(e.getMessage())));
        }
    }

    /** Answers another node's request on its reply channel. */
    private void answer(JsonObject req) {
        String from = req.getString("from");
        if (from.equals(node())) {
            return;
        }
        JsonObjectBuilder reply = Json.builders().createObjectBuilder().add("v", 1).add("id", req.getString("id"))
                .add("node", node());
        switch (req.getString("op")) {
            case "list" -> {
                int max = Math.max(1, Math.min(req.getInt("limit", MAX_LIMIT), MAX_LIMIT));
                JsonArrayBuilder entries = Json.builders().createArrayBuilder();
                local.entries(node(), text(req, "user"), text(req, "group"), max)
                        .forEach(e -> entries.add(json(e)));
                reply.add("entries", entries);
            }
            case "close" -> reply.add("closed",
                    local.closeHere(req.getString("session"), req.getInt("code"), req.getString("reason", "")));
            default -> throw new IllegalArgumentException("unknown op");
        }
        StatefulRedisConnection<String, String> c = transport.connection();
        if (c != null) {
            c.async().publish(requests + ":" + from, reply.build().toString());
        }
    }

    private static String text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private static JsonObject json(Entry e) {
        JsonObjectBuilder o = Json.builders().createObjectBuilder().add("id", e.id())
                .add("openedAt", e.openedAt().toEpochMilli()).add("detached", e.detached())
                .add("queuedMessages", e.queuedMessages()).add("queuedBytes", e.queuedBytes());
        if (e.user() != null) {
            o.add("user", e.user());
        }
        if (e.remoteAddress() != null) {
            o.add("address", e.remoteAddress());
        }
        JsonArrayBuilder groups = Json.builders().createArrayBuilder();
        e.groups().forEach(groups::add);
        return o.add("groups", groups).build();
    }

    private static Entry entry(String node, JsonObject o) {
        Set<String> groups = new HashSet<>();
        o.getJsonArray("groups").forEach(g -> groups.add(((JsonString) g).getString()));
        return new Entry(o.getString("id"), node, text(o, "user"), groups, text(o, "address"),
                Instant.ofEpochMilli(o.getJsonNumber("openedAt").longValue()), o.getBoolean("detached", false),
                o.getInt("queuedMessages", 0), o.getJsonNumber("queuedBytes").longValue());
    }

    @PreDestroy
    void stop() {
        closed = true;
        Lettuce.close(subscriber);
        subscriber = null;
    }

    /** The answers to one request, complete when every expected node answered. */
    private static final class Pending {
        final Set<String> expected;
        final boolean close;
        final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
        final CompletableFuture<Pending> done = new CompletableFuture<>();

        Pending(Set<String> expected, boolean close) {
            this.expected = Set.copyOf(expected);
            this.close = close;
        }

        void answered(String node, JsonObject answer) {
            answers.put(node, answer);
            if (answers.keySet().containsAll(expected) || close && answer.getBoolean("closed", false)) {
                done.complete(this);
            }
        }

        Set<String> silent() {
            Set<String> s = new HashSet<>(expected);
            s.removeAll(answers.keySet());
            return s;
        }
    }
}
