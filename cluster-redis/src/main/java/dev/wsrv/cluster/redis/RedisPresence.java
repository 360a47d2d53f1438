package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.session.ClusterPresence;
import dev.wsrv.runtime.session.SessionRegistry;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Who is online on which node, in Redis: every node keeps three keys of its own, {@code <channel>:presence:<node>:users}
 * (a hash of user id to the number of its sessions on the node), {@code ...:groups} (group to members on the node) and
 * {@code ...:sessions} (the node's session count), all expiring with the node's lifetime
 * ({@code wsrv.redis.nodeTtlMs}) and renewed once a second. A question is one Lua script that takes the live members
 * of the node set ({@link ClusterNodes}) on Redis' clock and reads one field of each live node's keys, so a node that
 * died drops out of every answer when its lifetime ends, whatever its keys still hold. Deployed only when
 * {@code wsrv.redis.uri} is set.
 *
 * <p>Cost: nothing per message. A bind, join, leave or close only marks the user or group in memory; the marked keys
 * are written together 50 ms later with their absolute counts (so a lost or repeated write cannot drift), and the
 * whole node is written again when its keys are gone (Redis restarted, or the node was cut off longer than its
 * lifetime) or a write failed. A question costs one round trip and one field read per live node. The scripts go by
 * their digest (EVALSHA), with their text only when Redis does not know them, as after a restart.
 *
 * <p>Thread-safe; writes run on one thread of the bean's own, in order on the transport's connection.
 */
@ApplicationScoped
public class RedisPresence implements ClusterPresence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class.getName());
    /** How long changes gather before they are written together. */
    static final Duration GATHER = Duration.ofMillis(50);
    /** The most users and groups one script writes. */
    static final int SLICE = 1_000;

    /**
     * Writes one node's presence: KEYS users, groups, sessions; ARGV lifetime ms, session count, full ("1": replace
     * everything), the number of user pairs, the user pairs, the group pairs (a count of 0 removes the field). Answers
     * whether the session count's key existed before, which tells a writer that its keys were lost.
     */
    private static final LuaScript WRITE = new LuaScript("""
            local existed = redis.call('EXISTS', KEYS[3])
            if ARGV[3] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
            local last = 4 + 2 * tonumber(ARGV[4])
            local i = 5
            while i < #ARGV do
              local key = KEYS[2]
              if i < last then key = KEYS[1] end
              if ARGV[i + 1] == '0' then redis.call('HDEL', key, ARGV[i])
              else redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
              i = i + 2
            end
            redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return existed
            """, ScriptOutputType.INTEGER);

    /**
     * Reads one field of every live node: KEYS the node set; ARGV the presence prefix, the key's suffix
     * ({@code sessions} reads the count, otherwise a hash), the field. Answers node, value, node, value...
     */
    private static final LuaScript READ = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local out = {}
            for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
              local v
              if ARGV[2] == 'sessions' then v = redis.call('GET', ARGV[1] .. node .. ':sessions')
              else v = redis.call('HGET', ARGV[1] .. node .. ':' .. ARGV[2], ARGV[3]) end
              if v then
                out[#out + 1] = node
                out[#out + 1] = v
              end
            end
            return out
            """, ScriptOutputType.MULTI);

    @Inject
    RedisPushTransport transport;

    @Inject
    SessionRegistry registry;

    private final Set<String> users = ConcurrentHashMap.newKeySet();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean whole = true;
    private volatile boolean closed;
    private String prefix;
    private String[] keys;
    private long ttlMs;
    private ScheduledExecutorService writer;

    @PostConstruct
    void start() {
        RedisSettings settings = RedisSettings.fromEnvironment();
        prefix = settings.channel() + ":presence:";
        String own = prefix + transport.nodeId();
        keys = new String[] {own + ":users", own + ":groups", own + ":sessions"};
        ttlMs = settings.nodeTtl().toMillis();
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsrv-redis-presence");
            t.setDaemon(true);
            return t;
        });
        registry.watch(this::changed);
        writer.scheduleAtFixedRate(this::write, 0, ClusterNodes.BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts with the application, so that the node's first sessions are already watched. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        LOG.fine(() -> "wsrv: Redis presence started, keys " + keys[0] + ", " + keys[1] + ", " + keys[2]);
    }

    @Override
    public String node() {
        return transport.nodeId();
    }

    @Override
    public CompletionStage<Map<String, Integer>> nodesOfUser(String user) {
        return read("users", user).thenApply(found -> {
            Map<String, Integer> nodes = new LinkedHashMap<>();
            found.forEach((node, v) -> nodes.put(node, Integer.parseInt(v)));
            return Map.copyOf(nodes);
        });
    }

    @Override
    public CompletionStage<Long> groupSize(String group) {
        return read("groups", group).thenApply(RedisPresence::sum);
    }

    @Override
    public CompletionStage<Long> sessionCount() {
        return read("sessions", "").thenApply(RedisPresence::sum);
    }

    private static long sum(Map<String, String> found) {
        return found.values().stream().mapToLong(Long::parseLong).sum();
    }

    private CompletionStage<Map<String, String>> read(String suffix, String field) {
        StatefulRedisConnection<String, String> c = transport.connection();
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        CompletionStage<List<String>> reply;
        try {
            reply = READ.run(c.async(), () -> { }, new String[] {transport.nodes().key()}, prefix, suffix, field);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return reply.thenApply(flat -> {
            Map<String, String> found = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                found.put(flat.get(i), flat.get(i + 1));
            }
            return found;
        });
    }

    /** Takes note of a change and has it written soon, together with the changes that follow it meanwhile. */
    private void changed(String user, String group) {
        if (user != null) {
            users.add(user);
        }
        if (group != null) {
            groups.add(group);
        }
        if (scheduled.compareAndSet(false, true) && !closed) {
            try {
                writer.schedule(this::write, GATHER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    /** Writes what changed, or everything when the keys in Redis cannot be trusted; renews the keys' lifetime. */
    private void write() {
        scheduled.set(false);
        StatefulRedisConnection<String, String> c = transport.connection();
        if (c == null || closed) {
            whole = true;
            return;
        }
        boolean full = whole;
        whole = false;
        Map<String, Integer> userCounts;
        Map<String, Integer> groupCounts;
        if (full) {
            users.clear();
            groups.clear();
            userCounts = registry.userSizes();
            groupCounts = registry.groupSizes();
        } else {
            userCounts = new HashMap<>();
            groupCounts = new HashMap<>();
            drain(users, userCounts, registry::sizeOfUser);
            drain(groups, groupCounts, registry::sizeOfGroup);
        }
        // a whole node goes in slices, so that no script holds Redis up for long; they run in order on one connection
        List<String[]> userPairs = pairs(userCounts);
        List<String[]> groupPairs = pairs(groupCounts);
        String count = Integer.toString(registry.size());
        int u = 0;
        int g = 0;
        boolean first = true;
        do {
            List<String> args = new ArrayList<>();
            args.add(Long.toString(ttlMs));
            args.add(count);
            args.add(first && full ? "1" : "0");
            int userSlice = Math.min(SLICE, userPairs.size() - u);
            int groupSlice = Math.min(SLICE - userSlice, groupPairs.size() - g);
            args.add(Integer.toString(userSlice));
            for (String[] pair : userPairs.subList(u, u + userSlice)) {
                args.add(pair[0]);
                args.add(pair[1]);
            }
            for (String[] pair : groupPairs.subList(g, g + groupSlice)) {
                args.add(pair[0]);
                args.add(pair[1]);
            }
            u += userSlice;
            g += groupSlice;
            send(c, args, first && !full);
            first = false;
        } while (u < userPairs.size() || g < groupPairs.size());
    }

    private static List<String[]> pairs(Map<String, Integer> counts) {
        List<String[]> pairs = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> pairs.add(new String[] {k, Integer.toString(v)}));
        return pairs;
    }

    /** Runs one write; when asked, a write that finds the keys gone has the whole node written again. */
    private void send(StatefulRedisConnection<String, String> c, List<String> args, boolean checkKept) {
        try {
            // a reload means Redis lost its scripts, and the slices sent meanwhile may have run out of order
            WRITE.<Long>run(c.async(), () -> whole = true, keys, args.toArray(String[]::new))
                    .whenComplete((existed, e) -> {
                        if (e != null) {
                            whole = true;
                            LOG.fine(() -> "wsrv: writing the presence failed: " + Lettuce.reason(e));
                        } else if (existed == 0 && checkKept) {
                            LOG.info("wsrv: this node's presence was gone from Redis; writing it again");
                            whole = true;
                            changed(null, null);
                        }
                    });
        } catch (RuntimeException e) {
            whole = true;
            LOG.fine(() -> "wsrv: writing the presence failed: " + Lettuce.reason(e));
        }
    }

    private static void drain(Set<String> marked, Map<String, Integer> into,
                              java.util.function.ToIntFunction<String> count) {
        for (Iterator<String> it = marked.iterator(); it.hasNext();) {
            String key = it.next();
            it.remove();
            into.put(key, count.applyAsInt(key));
        }
    }

    @PreDestroy
    void stop() {
        closed = true;
        registry.watch(null);
        if (writer != null) {
            writer.shutdownNow();
        }
        StatefulRedisConnection<String, String> c = transport.connection();
        if (c != null && c.isOpen()) {
            try {
                // the node left the node set already or does so now; its keys need not wait for their lifetime
                c.async().del(keys).toCompletableFuture().get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.fine(() -> "wsrv: removing the presence: " + e);
            }
        }
    }
}
