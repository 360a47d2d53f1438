package dev.wsrv.bench.jmh;

import dev.wsrv.Context;
import dev.wsrv.Middleware;
import dev.wsrv.Reply;
import dev.wsrv.bench.RawEchoEndpoint;
import dev.wsrv.WsrvConfig;
import dev.wsrv.metrics.micrometer.WsrvMetrics;
import dev.wsrv.runtime.WsrvThreads;
import dev.wsrv.runtime.observe.RuntimeView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.wsrv.runtime.codec.Inbound;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.codec.TextFrameDecoder;
import dev.wsrv.runtime.routing.Binder;
import dev.wsrv.runtime.routing.Dispatcher;
import dev.wsrv.runtime.routing.RouteTable;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionState;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-message hot path without the network: decode, route through the same two middleware and echo handler as
 * the BenchServer, encode, hand to the session's sender. The session is a {@link Proxy} whose async remote
 * completes each send at once on the calling thread and hands the text to the Blackhole.
 *
 * <p>Run: {@code bench/run.sh jmh HotPathBenchmark -prof gc}; {@code gc.alloc.rate.norm} is the allocation per
 * message in bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HotPathBenchmark {

    @Param({"64", "4096"})
    int payload;

    /** {@code none}: no observer, as without a metrics module; {@code micrometer}: wsrv-metrics-micrometer's meters. */
    @Param({"none", "micrometer"})
    String observer;

    String request;
    Reply reply;
    TextFrameDecoder decoder;
    Dispatcher dispatcher;
    SessionState state;
    Blackhole sink;

    @Setup
    public void setup(Blackhole bh) {
        sink = bh;
        String head = "{\"cmd\":\"echo\",\"seqno\":\"123456\",\"data\":{\"p\":\"";
        request = head + "x".repeat(Math.max(1, payload - head.length() - 3)) + "\"}}";
        // limits off, as on the BenchServer: the hot path without the per-session request limits
        decoder = new TextFrameDecoder(WsrvConfig.Limits.NONE);
        Inbound.Valid call = (Inbound.Valid) decoder.decode(request).inbound();
        reply = Reply.ok("echo", "123456", call.request().data());

        SessionRegistry registry = new SessionRegistry();
        Middleware metrics = ctx -> {
            long t0 = System.nanoTime();
            ctx.next();
            sink.consume(System.nanoTime() - t0);
        };
        Middleware guard = ctx -> {
            if (ctx.get("bench.blocked") != null) {
                ctx.abort(403, "forbidden");
            }
        };
        RouteTable table = RouteTable.builder()
                .use(100, metrics)
                .use(200, guard)
                .handle("echo", (Context ctx) -> ctx.ok(ctx.data()))
                .build();
        // no limits and no worker hand-off: the chain itself, on the calling thread
        WsrvMetrics meters = null;
        if (observer.equals("micrometer")) {
            meters = new WsrvMetrics();
            meters.bindTo(new SimpleMeterRegistry(), new RuntimeView() {
                @Override
                public int sessions() {
                    return registry.all().size();
                }

                @Override
                public long queuedMessages() {
                    return 0;
                }

                @Override
                public long queuedBytes() {
                    return 0;
                }
            });
        }
        dispatcher = new Dispatcher(table, new Binder(null), new LocalPusher(registry, WsrvConfig.DEFAULTS, null),
                registry, WsrvConfig.Limits.NONE, 0, WsrvThreads.own(), meters);
        state = registry.register(fakeSession(bh), 1024, 4L * 1024 * 1024);
    }

    private static Session fakeSession(Blackhole bh) {
        SendResult ok = new SendResult();
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                HotPathBenchmark.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                (p, m, args) -> {
                    if (m.getName().equals("sendText") && args.length == 2) {
                        bh.consume(args[0]);
                        ((SendHandler) args[1]).onResult(ok);
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        Map<String, Object> props = new HashMap<>();
        return (Session) Proxy.newProxyInstance(HotPathBenchmark.class.getClassLoader(),
                new Class<?>[] {Session.class}, (p, m, args) -> switch (m.getName()) {
                    case "getAsyncRemote" -> async;
                    case "isOpen" -> true;
                    case "getUserProperties" -> props;
                    case "getId" -> "bench";
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Decode only: the text frame to an {@code Inbound} (streaming JSON-P, data checked and kept as text). */
    @Benchmark
    public Inbound decode() {
        return decoder.decode(request).inbound();
    }

    /** Encode only: a reply whose data is the decoded JsonValue. */
    @Benchmark
    public String encode() {
        return ReplyEncoder.toJson(reply);
    }

    /** The whole per-message path: decode, two middleware, handler, encode, SessionSender. */
    @Benchmark
    public void fullPath() {
        dispatcher.handle(state, decoder.decode(request).inbound());
    }

    /** Route and send only: the decoded request through the chain, encoder and SessionSender. */
    @Benchmark
    public void dispatchOnly(DecodedState d) {
        dispatcher.handle(state, d.inbound);
    }

    /** The raw endpoint's work, for scale: a string scan and one StringBuilder. */
    @Benchmark
    public String rawScan() {
        return RawEchoEndpoint.reply(request);
    }

    /** A decoded request, made once per trial. */
    @State(Scope.Thread)
    public static class DecodedState {
        Inbound inbound;

        @Setup
        public void setup(HotPathBenchmark b) {
            inbound = b.decoder.decode(b.request).inbound();
        }
    }
}
