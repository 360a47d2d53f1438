package dev.wsrv.embedded;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.handshake.ThrottledWarning;
import dev.wsrv.runtime.handshake.UpgradeRequestCheck;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The embedded server's guard below the WebSocket layer: a Grizzly filter between the HTTP codec and Tyrus.
 *
 * <p>Before the upgrade it bounds HTTP connections (in total and per client address: one more is closed at
 * once), gives each the handshake timeout to send a complete request head, and answers a malformed upgrade request
 * 400 or 426 ({@link UpgradeRequestCheck}) before Tyrus sees it. Frames that arrive in the same read as the upgrade
 * request are handed to the new connection instead of being lost. After the upgrade each connection's
 * {@link ConnectionGuard} judges frames from their headers and bounds what waits to be written. Thread-safe.
 */
final class TransportGuard extends BaseFilter implements AddOn {

    private static final Logger LOG = Logger.getLogger(TransportGuard.class.getName());
    private static final Attribute<ConnectionGuard> GUARD =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(TransportGuard.class.getName() + ".guard");
    private static final String TYRUS_FILTER = "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter";
    /** The connection whose upgrade request is being handed to Tyrus on this thread, for {@link GatedEngine}. */
    private static final ThreadLocal<ConnectionGuard> UPGRADING = new ThreadLocal<>();

    private final TransportConfig transport;
    private final WsrvConfig config;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<ConnectionGuard> connections = ConcurrentHashMap.newKeySet();
    /** Whether the endpoints are registered: the socket listens a moment before, and an upgrade then would get 404. */
    /** Why upgrades are refused with 503 before they reach Tyrus, or {@code null} while the endpoint serves. */
    private volatile String notServing = "starting";
    private final Map<InetAddress, Integer> handshakingPerAddress = new HashMap<>();
    private int handshaking;
    private final ThrottledWarning refusedWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning timeoutWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning frameWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning overflowWarning = new ThrottledWarning(LOG);

    TransportGuard(TransportConfig transport, WsrvConfig config) {
        this.transport = transport;
        this.config = config;
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wsrv-transport-guard");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Takes the guard of the connection whose upgrade request this thread is handing to Tyrus.
     *
     * @return the guard, or {@code null} outside an upgrade
     */
    static ConnectionGuard takeUpgrading() {
        ConnectionGuard g = UPGRADING.get();
        UPGRADING.remove();
        return g;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int tyrus;
        try {
            tyrus = builder.indexOfType(Class.forName(TYRUS_FILTER).asSubclass(org.glassfish.grizzly.filterchain.Filter.class));
        } catch (ClassNotFoundException e) {
            tyrus = -1;
        }
        if (tyrus < 0) {
            throw new IllegalStateException("wsrv: this Tyrus version has no " + TYRUS_FILTER);
        }
        builder.add(tyrus, this);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    int maxMessageSize() {
        return config.maxMessageSize();
    }

    long maxOutboundBytes() {
        return transport.maxOutboundBytes();
    }

    int pingsPerSecond() {
        return config.limits().requestsPerSecond();
    }

    int pingBurst() {
        return config.limits().requestBurst();
    }

    // ------------------------------------------------------------------ before the upgrade

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        Connection<?> c = ctx.getConnection();
        InetAddress address = c.getPeerAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        ConnectionGuard g = new ConnectionGuard(this, c, address);
        GUARD.set(c, g);
        connections.add(g);
        if (!countHandshaking(g)) {
            refusedWarning.warn("wsrv: closed a new connection from " + address + ": "
                    + "too many connections that have not upgraded (wsrv.transport.handshakingConnections "
                    + transport.handshakingConnections() + ", per address " + transport.handshakingConnectionsPerAddress()
                    + ")");
            c.terminateSilently();
            return ctx.getStopAction();
        }
        g.awaitRequestHead(transport.handshakeTimeout());
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        ConnectionGuard g = GUARD.get(ctx.getConnection());
        if (g == null || g.upgraded()) {
            return ctx.getInvokeAction();
        }
        if (g.hadEarlyData()) {
            return ctx.getStopAction(); // frames sent with an upgrade that did not happen
        }
        if (!(ctx.getMessage() instanceof HttpContent content)
                || !(content.getHttpHeader() instanceof HttpRequestPacket request)) {
            return ctx.getInvokeAction();
        }
        g.requestHeadArrived();
        if (!"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return ctx.getInvokeAction();
        }
        UpgradeRequestCheck.Refusal malformed = UpgradeRequestCheck.check(request.getMethod().getMethodString(),
                request.getProtocolString(), name -> values(request, name));
        if (malformed != null) {
            refuse(ctx, request, malformed);
            return ctx.getStopAction();
        }
        String unavailable = notServing;
        if (unavailable != null) {
            // a client that reconnects to a restarting server must retry, not take the endpoint for gone, nor open a
            // session on a server that is closing its sessions
            refuse(ctx, request, new UpgradeRequestCheck.Refusal(503, unavailable));
            return ctx.getStopAction();
        }
        UPGRADING.set(g);
        if (!content.getContent().hasRemaining()) {
            return ctx.getInvokeAction();
        }
        // Tyrus drops whatever follows the request head in the same read: hand it over again once upgraded
        g.earlyData();
        HttpContent early = HttpContent.builder(request).content(content.getContent()).build();
        ctx.setMessage(HttpContent.builder(request).content(Buffers.EMPTY_BUFFER).build());
        return ctx.getInvokeAction(early);
    }

    private static List<String> values(HttpHeader header, String name) {
        List<String> v = new ArrayList<>();
        header.getHeaders().values(name).forEach(v::add);
        return v;
    }

    private static void refuse(FilterChainContext ctx, HttpRequestPacket request, UpgradeRequestCheck.Refusal r) {
        HttpResponsePacket response = request.getResponse();
        response.setProtocol(Protocol.HTTP_1_1);
        response.setStatus(r.status());
        response.setHeader("Connection", "close");
        if (r.status() == 426) {
            response.setHeader("Sec-WebSocket-Version", UpgradeRequestCheck.VERSION);
        }
        byte[] body = r.reason().getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        Connection<?> c = ctx.getConnection();
        ctx.write(HttpContent.builder(response).content(Buffers.wrap(c.getMemoryManager(), body)).last(true).build(),
                new EmptyCompletionHandler<WriteResult>() {
                    @Override
                    public void completed(WriteResult result) {
                        c.closeSilently();
                    }

                    @Override
                    public void failed(Throwable t) {
                        c.terminateSilently();
                    }
                });
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) throws IOException {
        ConnectionGuard g = GUARD.get(ctx.getConnection());
        if (g != null && g.handshaking() && ctx.getMessage() instanceof HttpContent content && content.isLast()
                && content.getHttpHeader() instanceof HttpResponsePacket response && response.getStatus() != 101) {
            // an HTTP response is complete: the next request head has the handshake timeout again
            g.awaitRequestHead(transport.handshakeTimeout());
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        ConnectionGuard g = GUARD.get(ctx.getConnection());
        if (g != null) {
            GUARD.remove(ctx.getConnection());
            g.closed();
            release(g);
            connections.remove(g);
        }
        return ctx.getInvokeAction();
    }

    private synchronized boolean countHandshaking(ConnectionGuard g) {
        int total = transport.handshakingConnections();
        int perAddress = transport.handshakingConnectionsPerAddress();
        int fromAddress = handshakingPerAddress.getOrDefault(g.address(), 0);
        if (total > 0 && handshaking >= total || perAddress > 0 && fromAddress >= perAddress) {
            return false;
        }
        handshaking++;
        handshakingPerAddress.put(g.address(), fromAddress + 1);
        g.counted(true);
        return true;
    }

    private synchronized void release(ConnectionGuard g) {
        if (g.counted()) {
            g.counted(false);
            handshaking--;
            handshakingPerAddress.computeIfPresent(g.address(), (a, n) -> n == 1 ? null : n - 1);
        }
    }

    // ------------------------------------------------------------------ events of the connections

    void upgraded(ConnectionGuard g) {
        release(g);
    }

    void timedOut() {
        timeoutWarning.warn("wsrv: closed a connection that sent no complete request head within "
                + transport.handshakeTimeout().toMillis() + " ms (wsrv.transport.handshakeTimeoutMs)");
    }

    void refusedFrame(CloseReason reason) {
        frameWarning.warn("wsrv: closed a connection with " + reason.getCloseCode().getCode() + " ("
                + reason.getReasonPhrase() + ") on a frame header");
    }

    /** The endpoints are registered: upgrades go on to Tyrus from now on. */
    void ready() {
        notServing = null;
    }

    /** The server is stopping: upgrades are refused from now on. */
    void stopping() {
        notServing = "stopping";
    }

    void overflowed() {
        overflowWarning.warn("wsrv: closed a connection whose client does not read: more than "
                + transport.maxOutboundBytes() + " bytes waiting for its socket (wsrv.transport.maxOutboundBytes)");
    }

    /**
     * Waits until every WebSocket connection has closed its socket, so that each close frame is written and has its
     * grace before the transport stops.
     *
     * @param bound the longest wait
     */
    void awaitClosed(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (connections.stream().anyMatch(ConnectionGuard::busy) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Stops the timers. */
    void stop() {
        scheduler.shutdownNow();
    }
}
