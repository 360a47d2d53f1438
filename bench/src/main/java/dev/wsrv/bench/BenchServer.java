package dev.wsrv.bench;

import dev.wsrv.Context;
import dev.wsrv.Middleware;
import dev.wsrv.Pusher;
import dev.wsrv.cluster.redis.RedisCluster;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.embedded.TransportConfig;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.session.SessionRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server side of the benchmarks: the wsrv endpoint at {@code /ws} with two middleware and the commands
 * {@code echo}, {@code stats} and {@code broadcast}, and the raw Tyrus {@link RawEchoEndpoint} at {@code /raw}, on
 * one embedded server bound to 127.0.0.1. Prints {@code READY port=<port> pid=<pid>} once it listens.
 *
 * <p>Options: {@code --port N} (default 0: any free port), {@code --same-thread} (Grizzly SameThreadIOStrategy:
 * handlers on the selector threads), {@code --idle-ms N} (idle timeout, default 30000), {@code --limits none|default}
 * (every limit off, the default here; or the documented defaults), {@code --workers N} (wsrv's worker threads; 0 runs
 * requests on Grizzly's threads; the documented default when absent), {@code --redis URI} (a node of
 * the Redis cluster).
 */
public final class BenchServer {

    private BenchServer() {
    }

    /** Counts requests and their time in the chain, as a metrics middleware would. */
    static final class Metrics implements Middleware {
        final LongAdder requests = new LongAdder();
        final LongAdder nanos = new LongAdder();

        @Override
        public void handle(Context ctx) {
            long t0 = System.nanoTime();
            ctx.next();
            requests.increment();
            nanos.add(System.nanoTime() - t0);
        }
    }

    /** Rejects sessions marked as blocked, as an authorisation middleware would: one attribute read. */
    static final class Guard implements Middleware {
        @Override
        public void handle(Context ctx) {
            if (ctx.get("bench.blocked") != null) {
                ctx.abort(403, "forbidden");
            }
        }
    }

    /**
     * Starts the server and runs until killed.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        boolean sameThread = false;
        long idleMs = 30_000;
        boolean limits = false;
        Integer workers = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--same-thread" -> sameThread = true;
                case "--idle-ms" -> idleMs = Long.parseLong(args[++i]);
                case "--limits" -> limits = "default".equals(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--redis" -> System.setProperty(RedisCluster.URI_KEY, args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        AtomicReference<Pusher> pusher = new AtomicReference<>();
        AtomicReference<SessionRegistry> registry = new AtomicReference<>();
        Metrics metrics = new Metrics();
        // every limit off unless asked: the load generator floods one session and opens thousands from one address
        WsrvConfig config = WsrvConfig.fromEnvironment();
        config = limits ? config : config.withLimits(WsrvConfig.Limits.NONE);
        config = workers == null ? config : config.with("wsrv.workers", workers);
        EmbeddedServer server = EmbeddedServer.builder()
                .config(config)
                .transport(limits ? TransportConfig.fromEnvironment() : TransportConfig.NONE)
                .port(port)
                .idleTimeout(Duration.ofMillis(idleMs))
                .sameThreadIo(sameThread)
                .endpoint(RawEchoEndpoint.class)
                .beanClasses(RedisCluster.beanClasses())
                .use(100, metrics)
                .use(200, new Guard())
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("broadcast", ctx -> {
                    pusher.get().broadcast("tick", ctx.data());
                    ctx.ok();
                })
                .handle("stats", ctx -> {
                    long heap = ProcStats.heapAfterGc();
                    long pid = ProcessHandle.current().pid();
                    ctx.ok(Map.of("heapUsed", heap, "rss", ProcStats.rssBytes(pid),
                            "sessions", registry.get().all().size(), "requests", metrics.requests.sum()));
                })
                .start();
        pusher.set(server.container().select(Pusher.class).get());
        registry.set(server.container().select(SessionRegistry.class).get());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("READY port=" + server.address().getPort() + " pid=" + ProcessHandle.current().pid()
                + " io=" + (sameThread ? "same-thread" : "worker") + " limits=" + (limits ? "default" : "none")
                + " workers=" + config.workers() + " mode=" + System.getProperty("wsrv.execution", "default"));
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
