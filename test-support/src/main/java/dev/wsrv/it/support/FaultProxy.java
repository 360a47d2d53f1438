package dev.wsrv.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port that forwards every connection to a target and breaks the network on
 * command, so that a test can put real network faults between a real client and a real server. With
 * {@link #retarget} it also stands for a load balancer that sends the next connections to another node.
 *
 * <p>Faults apply to every connection, open or opened later, in both directions:
 * <ul>
 *   <li>{@link #cut()} resets every open connection: both peers see a connection reset (TCP RST), never an
 *       orderly end, so a WebSocket peer sees a transport error and no close frame;</li>
 *   <li>{@link #down()} cuts, and resets every new connection as soon as it is accepted, until {@link #resume()};</li>
 *   <li>{@link #stall()} stops forwarding and keeps the bytes: the proxy stops reading, so they wait in the
 *       sockets (TCP flow control pushes back on the sender once the buffers are full) and arrive, in order and
 *       complete, after {@link #resume()};</li>
 *   <li>{@link #blackhole()} stops forwarding and drops the bytes while the sockets stay open, like a silent
 *       network partition: neither peer learns anything until its own timeout. After {@link #resume()} later bytes
 *       flow again behind the gap, so a blackhole is usually ended with {@link #cut()} or {@link #down()};</li>
 *   <li>{@link #closeConnections()} ends every open connection in order (TCP FIN both ways), as a proxy or load
 *       balancer that restarts does: a WebSocket peer sees the stream end without a close frame.</li>
 * </ul>
 *
 * <p>Each connection is served by two daemon threads, one per direction, with blocking sockets; every wait of
 * theirs is bounded or ends when the proxy closes. {@link #close()} stops listening, resets every connection and
 * waits a bounded time for the threads to end. The proxy binds 127.0.0.1 only. All methods are thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    /** How the proxy treats bytes and new connections. */
    private enum Mode { FORWARD, STALL, BLACKHOLE, DOWN }

    private static final int CHUNK = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long STALL_RECHECK_MILLIS = 100;
    private static final Duration THREADS_END_WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger PROXIES = new AtomicInteger();

    /** Where new connections go; open connections keep the target they were connected to. */
    private volatile InetSocketAddress target;
    private final ServerSocket listener;
    private final String threadPrefix;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards changes of {@link #mode}; stalled threads wait on it. */
    private final Object modeLock = new Object();
    /** Changed under {@link #modeLock}; read without it on the forwarding path. */
    private volatile Mode mode = Mode.FORWARD;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        this.threadPrefix = "fault-proxy-" + PROXIES.incrementAndGet() + "-";
        start(threadPrefix + "accept", this::acceptLoop);
    }

    /**
     * Starts a proxy to the given target on a free loopback port.
     *
     * @param target where every accepted connection is forwarded; not {@code null}
     * @return the running proxy, which the caller closes
     * @throws IOException if no loopback port can be bound
     */
    public static FaultProxy to(InetSocketAddress target) throws IOException {
        if (target == null) {
            throw new IllegalArgumentException("target is null");
        }
        return new FaultProxy(target);
    }

    /**
     * Starts a proxy to the host and port of a URI such as {@code ws://127.0.0.1:8800/ws}; see {@link #via(URI)}.
     *
     * @param uri a URI with a host and an explicit port; not {@code null}
     * @return the running proxy, which the caller closes
     * @throws IOException if no loopback port can be bound
     * @throws IllegalArgumentException if the URI has no host or no port
     */
    public static FaultProxy to(URI uri) throws IOException {
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("needs a host and a port: " + uri);
        }
        return to(new InetSocketAddress(uri.getHost(), uri.getPort()));
    }

    /**
     * Returns the address the proxy listens on.
     *
     * @return 127.0.0.1 and the proxy's port
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /**
     * Returns the given URI with its host and port replaced by the proxy's, for example
     * {@code ws://127.0.0.1:8800/ws?t=1} becomes {@code ws://127.0.0.1:<proxy port>/ws?t=1}.
     *
     * @param uri the server's URI; not {@code null}
     * @return the same URI through the proxy
     */
    public URI via(URI uri) {
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), listener.getInetAddress().getHostAddress(),
                    listener.getLocalPort(), uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot rewrite " + uri, e);
        }
    }

    /**
     * Sends every later connection to another target, as a load balancer that picks another node does; open
     * connections stay where they are (cut them to move their clients).
     *
     * @param next the new target; not {@code null}
     */
    public void retarget(InetSocketAddress next) {
        if (next == null) {
            throw new IllegalArgumentException("target is null");
        }
        target = next;
    }

    /**
     * Returns where new connections are forwarded.
     *
     * @return the current target
     */
    public InetSocketAddress target() {
        return target;
    }

    /**
     * Returns how many connections are open through the proxy now (including one still connecting to the target).
     *
     * @return the number of open connections
     */
    public int connections() {
        return links.size();
    }

    /**
     * Returns how many connections the proxy has accepted since it started, including those that {@link #down()}
     * reset at once; a test can wait for it to grow to see that a client tried to reconnect.
     *
     * @return the number of accepted connections
     */
    public long accepted() {
        return accepted.get();
    }

    /**
     * Returns how many bytes {@link #blackhole()} has dropped since the proxy started, so that a test can wait until
     * what it sent has really been lost.
     *
     * @return the number of dropped bytes
     */
    public long droppedBytes() {
        return dropped.get();
    }

    /**
     * Resets every open connection at once, in both directions; new connections are forwarded as before (unless
     * the proxy is {@link #down()}, stalled or blackholed, which stays in force).
     */
    public void cut() {
        for (Link link : links) {
            link.reset();
        }
    }

    /** Cuts every open connection and resets every new one on accept, until {@link #resume()}. */
    public void down() {
        setMode(Mode.DOWN);
        cut();
    }

    /**
     * Stops forwarding in both directions and keeps the bytes, until {@link #resume()}: the proxy stops reading, so
     * the bytes wait in the sockets; at most one chunk per direction that was being read when the stall began is
     * held by the proxy. New connections are accepted and connected to the target, then stalled as well.
     */
    public void stall() {
        setMode(Mode.STALL);
    }

    /**
     * Stops forwarding in both directions and drops every byte, keeping every socket open, until {@link #resume()};
     * {@link #droppedBytes()} counts what was lost. New connections are accepted and blackholed as well.
     */
    public void blackhole() {
        setMode(Mode.BLACKHOLE);
    }

    /** Ends {@link #down()}, {@link #stall()} or {@link #blackhole()}: bytes and new connections flow again. */
    public void resume() {
        setMode(Mode.FORWARD);
    }

    /**
     * Ends every open connection in order: the proxy sends FIN to both peers and closes its sockets, as a restarting
     * proxy does; no WebSocket close frame is sent. New connections are forwarded as before.
     */
    public void closeConnections() {
        for (Link link : links) {
            link.closeOrderly();
        }
    }

    /**
     * Stops listening, resets every connection and waits up to five seconds for the proxy's threads to end.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // the accept thread ends on the closed flag either way
        }
        cut();
        synchronized (modeLock) {
            modeLock.notifyAll();
        }
        long deadline = System.nanoTime() + THREADS_END_WAIT.toNanos();
        for (Thread t : List.copyOf(threads)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + address() + " -> " + target + ", " + mode + ", " + links.size() + " open]";
    }

    private void setMode(Mode next) {
        synchronized (modeLock) {
            mode = next;
            modeLock.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                // closing the listener ends the loop; any other accept failure on loopback is transient
                continue;
            }
            accepted.incrementAndGet();
            if (mode == Mode.DOWN || closed.get()) {
                resetQuietly(client);
                continue;
            }
            Link link = new Link(client, accepted.get(), target);
            links.add(link);
            // down() or close() may have swept the links between the check above and the add
            if (mode == Mode.DOWN || closed.get()) {
                link.reset();
            } else {
                start(threadPrefix + link.id + "-up", link::connectAndPumpUp);
            }
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Waits while the proxy is stalled, a bounded time per wait.
     *
     * @return whether the link may go on
     */
    private boolean awaitNotStalled(Link link) {
        synchronized (modeLock) {
            while (mode == Mode.STALL && !closed.get() && !link.isClosed()) {
                try {
                    modeLock.wait(STALL_RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !closed.get() && !link.isClosed();
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing left to reset
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is best effort: the peer learns of it either way
        }
    }

    /** One proxied connection: the client's socket, the target's socket and a pump for each direction. */
    private final class Link {
        private final Socket client;
        private final Socket server = new Socket();
        private final long id;
        private final InetSocketAddress to;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicInteger pumpsRunning = new AtomicInteger(2);

        Link(Socket client, long id, InetSocketAddress to) {
            this.client = client;
            this.id = id;
            this.to = to;
        }

        boolean isClosed() {
            return ended.get();
        }

        void connectAndPumpUp() {
            try {
                server.connect(to, CONNECT_TIMEOUT_MILLIS);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                // an unreachable target looks to the client like a connection reset, not like an accepted silence
                reset();
                return;
            }
            start(threadPrefix + id + "-down", () -> pump(server, client));
            pump(client, server);
        }

        /**
         * Copies one direction until end of stream, a reset or the end of the link or the proxy. Only an end of
         * stream from a peer is passed on in order; every other end resets both peers.
         */
        private void pump(Socket from, Socket to) {
            byte[] buf = new byte[CHUNK];
            boolean endOfStream = false;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (awaitNotStalled(this)) {
                    int n = in.read(buf);
                    if (n < 0) {
                        to.shutdownOutput();
                        endOfStream = true;
                        break;
                    }
                    // a chunk read just before a stall began is held, not dropped, until the stall ends
                    if (!awaitNotStalled(this)) {
                        break;
                    }
                    if (mode == Mode.BLACKHOLE) {
                        dropped.addAndGet(n);
                        continue;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // a reset on one side, or a socket this proxy closed: handled as any other end below
            }
            if (!endOfStream) {
                reset();
            } else if (pumpsRunning.decrementAndGet() == 0) {
                closeOrderly();
            }
        }

        void reset() {
            if (ended.compareAndSet(false, true)) {
                // counted out before the peers can see the end, so that connections() is exact for them
                links.remove(this);
                resetQuietly(client);
                resetQuietly(server);
            }
        }

        void closeOrderly() {
            if (ended.compareAndSet(false, true)) {
                links.remove(this);
                for (Socket s : List.of(client, server)) {
                    try {
                        if (s.isConnected() && !s.isOutputShutdown()) {
                            s.shutdownOutput();
                        }
                    } catch (IOException e) {
                        // the socket is gone already: closing below is all that is left
                    }
                    closeQuietly(s);
                }
            }
        }
    }
}
