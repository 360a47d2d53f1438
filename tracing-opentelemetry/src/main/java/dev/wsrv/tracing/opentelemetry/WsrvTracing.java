package dev.wsrv.tracing.opentelemetry;

import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.observe.WsrvObserver;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One OpenTelemetry span per wsrv request, from its turn to its reply, named after its command. The span is a child
 * of the trace the client's upgrade request carried in a W3C {@code traceparent} header, else the root of a new
 * trace. It uses the application's {@link OpenTelemetry} CDI bean when there is one, else
 * {@link GlobalOpenTelemetry}. Deploying this class is all it takes: in a WAR the module's jar is discovered;
 * embedded, pass it to {@code beanClasses}.
 *
 * <p>Attributes: {@code rpc.system} = {@code wsrv}, {@code rpc.method} (the command), {@code wsrv.status} (the
 * reply's status), {@code wsrv.session.id} and, when the session is bound to a user, {@code enduser.id}. A status of
 * 500 or more marks the span as an error. Commands without a handler are named {@code UNKNOWN}, so that clients
 * cannot create span names at will. Thread-safe.
 */
@ApplicationScoped
public class WsrvTracing implements WsrvObserver {

    private static final Logger LOG = Logger.getLogger(WsrvTracing.class.getName());

    /** The name of the instrumentation, as the spans' scope. */
    public static final String INSTRUMENTATION = "dev.wsrv";
    /** The span name of requests for a command without a handler. */
    public static final String UNKNOWN = "UNKNOWN";

    static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("wsrv.status");
    static final AttributeKey<String> SESSION = AttributeKey.stringKey("wsrv.session.id");
    static final AttributeKey<String> USER = AttributeKey.stringKey("enduser.id");

    /** Reads the one header the runtime keeps: the carrier is the {@code traceparent} value itself. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    @Inject
    @Any
    Instance<OpenTelemetry> openTelemetry;

    private volatile Tracer tracer;

    /** Creates the bean; CDI calls this, or a caller without CDI followed by {@link #use}. */
    public WsrvTracing() {
    }

    /**
     * Finds the application's {@link OpenTelemetry}; the runtime calls this once when it starts.
     *
     * @param view unused
     */
    @Override
    public void started(RuntimeView view) {
        boolean bean = openTelemetry != null && openTelemetry.isResolvable();
        LOG.info(() -> "wsrv: a span per command on " + (bean ? "the application's OpenTelemetry"
                : "GlobalOpenTelemetry"));
        use(bean ? openTelemetry.get() : GlobalOpenTelemetry.get());
    }

    /**
     * Makes spans with the given OpenTelemetry, for use without CDI.
     *
     * @param otel the OpenTelemetry
     */
    public void use(OpenTelemetry otel) {
        tracer = otel.getTracer(INSTRUMENTATION);
    }

    @Override
    public void requestDone(RequestDone done) {
        Tracer t = tracer;
        if (t == null) {
            return;
        }
        Instant now = Instant.now();
        long end = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        String name = done.routed() ? done.cmd() : UNKNOWN;
        Context parent = done.traceparent() == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), done.traceparent(), TRACEPARENT);
        SpanBuilder builder = t.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(end - done.nanos(), TimeUnit.NANOSECONDS)
                .setAttribute(RPC_SYSTEM, "wsrv").setAttribute(RPC_METHOD, name)
                .setAttribute(STATUS, (long) done.status()).setAttribute(SESSION, done.sessionId());
        if (done.user() != null) {
            builder.setAttribute(USER, done.user());
        }
        Span span = builder.startSpan();
        if (done.status() >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end(end, TimeUnit.NANOSECONDS);
    }
}
