package dev.wsrv.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator: {@code echo} (scenario 1, router against raw Tyrus), {@code conns} (scenario 2, idle
 * connections), {@code fanout} (scenario 3, broadcast to every connection), {@code fairness} (scenario 4, a flood
 * from one address against well-behaved clients on another) and {@code backplane} (scenario 5, a broadcast through
 * Redis, {@link BackplaneBench}). It talks to a {@link BenchServer}
 * in another process over 127.0.0.1; every phase is bounded in time. Progress goes to stderr, the results table
 * and one line {@code RESULT_JSON {...}} to stdout.
 */
public final class BenchClient {

    private static final String HOST = "127.0.0.1";

    final Map<String, String> opts;
    private final int port;
    final long serverPid;
    final IoLoop[] loops;

    private BenchClient(Map<String, String> opts) {
        this.opts = opts;
        this.port = Integer.parseInt(req("port"));
        this.serverPid = Long.parseLong(opts.getOrDefault("server-pid", "-1"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
        loops = new IoLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new IoLoop(i);
        }
    }

    private String req(String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    int intOpt(String key, int def) {
        return Integer.parseInt(opts.getOrDefault(key, String.valueOf(def)));
    }

    /**
     * Runs one scenario.
     *
     * @param args {@code echo|conns|fanout|backplane --port N [--server-pid P] [options]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: BenchClient echo|conns|fanout|backplane --port N [--server-pid P] "
                    + "[--key value]...");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option: " + args[i]);
            }
            String k = args[i].substring(2);
            opts.put(k, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
        BenchClient client = new BenchClient(opts);
        switch (args[0]) {
            case "echo" -> new EchoBench(client).run();
            case "conns" -> new ConnsBench(client).run();
            case "fanout" -> new FanoutBench(client).run();
            case "fairness" -> new Fairness(client).run();
            case "backplane" -> new BackplaneBench(client, opts).run();
            case "resume" -> new ResumeBench(client).run();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        for (IoLoop l : client.loops) {
            l.stop();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- connections

    /** Open bookkeeping shared by the scenarios. */
    abstract static class Base implements WsConn.Listener {
        final Semaphore pending = new Semaphore(200);
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicReference<String> lastError = new AtomicReference<>();
        volatile boolean closing;

        @Override
        public void opened(WsConn c) {
            opened.incrementAndGet();
            pending.release();
        }

        @Override
        public void closed(WsConn c, String why) {
            if (why.startsWith("not opened")) {
                failed.incrementAndGet();
                pending.release();
                lastError.set(why);
            } else if (!closing) {
                lost.incrementAndGet();
                lastError.set(why);
            }
        }
    }

    /** Opens n connections at at most 200 handshakes at a time; returns the time it took in ns. */
    long openAll(Base listener, String path, int n, int bufferSize, int ringSize) throws InterruptedException {
        return openAll(listener, path, n, bufferSize, ringSize, null, loops);
    }

    /** Opens n connections from a local address on the given loops; returns the time it took in ns. */
    long openAll(Base listener, String path, int n, int bufferSize, int ringSize, java.net.InetAddress local,
                         IoLoop[] on) throws InterruptedException {
        return openAll(listener, port, path, n, bufferSize, ringSize, local, on);
    }

    /** Opens n connections to a server on another port (another node); returns the time it took in ns. */
    long openAll(Base listener, int toPort, String path, int n, int bufferSize, int ringSize,
                 java.net.InetAddress local, IoLoop[] on) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress(HOST, toPort);
        int before = listener.opened.get() + listener.failed.get();
        long t0 = System.nanoTime();
        long lastPrint = t0;
        for (int i = 0; i < n; i++) {
            if (!listener.pending.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connections stalled: " + listener.lastError.get());
            }
            IoLoop loop = on[i % on.length];
            int id = i;
            loop.execute(() -> {
                WsConn c = new WsConn(loop, id, listener, HOST, toPort, path, bufferSize);
                c.sentAt = new long[ringSize];
                c.sentSeq = new long[ringSize];
                c.mask = ringSize - 1;
                loop.conns.add(c);
                try {
                    c.connect(address, local);
                } catch (IOException | RuntimeException e) {
                    c.close(String.valueOf(e));
                }
            });
            long now = System.nanoTime();
            if (now - lastPrint > 1_000_000_000L) {
                lastPrint = now;
                System.err.printf(Locale.ROOT, "  opening %s: %d/%d open, %d failed%n", path,
                        listener.opened.get(), n, listener.failed.get());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (listener.opened.get() + listener.failed.get() - before < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        long took = System.nanoTime() - t0;
        if (listener.failed.get() > 0) {
            System.err.println("  " + listener.failed.get() + " connections failed: " + listener.lastError.get());
        }
        return took;
    }

    /**
     * Ends a scenario: names the last error if a connection failed or was lost, closes every connection, and prints
     * the scenario's table and its machine-readable result line.
     */
    void report(Base listener, String table, String resultJson) throws Exception {
        if (listener.lost.get() > 0 || listener.failed.get() > 0) {
            System.err.println("  last error: " + listener.lastError.get());
        }
        closeAll(listener);
        System.out.println(table);
        System.out.println("RESULT_JSON " + resultJson);
    }

    void closeAll(Base listener) throws Exception {
        closeAll(listener, loops);
    }

    /** Closes every connection of the given loops. */
    void closeAll(Base listener, IoLoop[] on) throws Exception {
        listener.closing = true;
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (IoLoop l : on) {
            done.add(l.call(() -> {
                int n = l.conns.size();
                l.conns.forEach(WsConn::shutdown);
                l.conns.clear();
                return n;
            }));
        }
        for (CompletableFuture<Integer> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    static int indexOf(ByteBuffer b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i + what.length <= to; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b.get(i + j) != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String loadavg() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- control connection

    /** One connection for commands to the server (stats, broadcast); pushes to it are ignored. */
    static final class Control extends Base {
        volatile CompletableFuture<String> reply;
        volatile String expectSeqno;
        WsConn conn;

        @Override
        public void opened(WsConn c) {
            conn = c;
            super.opened(c);
        }

        @Override
        public void message(WsConn c, ByteBuffer b, int off, int len) {
            String text = StandardCharsets.UTF_8.decode(b.duplicate().position(off).limit(off + len)).toString();
            CompletableFuture<String> f = reply;
            if (f != null && text.contains("\"seqno\":\"" + expectSeqno + "\"")) {
                f.complete(text);
            }
        }
    }

    private Control control;
    private int controlSeq;

    Control control() throws Exception {
        if (control == null) {
            control = new Control();
            openAll(control, "/ws", 1, 4096, 16);
            if (control.opened.get() != 1) {
                throw new IllegalStateException("control connection failed: " + control.lastError.get());
            }
        }
        return control;
    }

    /** Forgets the control connection after {@link #closeAll} closed it with the others; the next command opens one. */
    void controlClosed() {
        control = null;
    }

    /** Sends a command on the control connection; onSent runs on the loop thread right after the write. */
    CompletableFuture<String> command(String cmd, String data, Runnable onSent) throws Exception {
        Control c = control();
        String seqno = "c" + (++controlSeq);
        CompletableFuture<String> f = new CompletableFuture<>();
        c.expectSeqno = seqno;
        c.reply = f;
        byte[] text = ("{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
        c.conn.loop.execute(() -> {
            if (onSent != null) {
                onSent.run();
            }
            try {
                c.conn.sendText(text);
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---------------------------------------------------------------- heartbeats

    /** Makes every loop send one empty frame per open connection each period. */
    void heartbeats(int periodMs) {
        for (IoLoop l : loops) {
            long[] next = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(periodMs)};
            l.onTick(() -> {
                long now = System.nanoTime();
                if (now < next[0]) {
                    return;
                }
                next[0] = now + TimeUnit.MILLISECONDS.toNanos(periodMs);
                for (WsConn c : l.conns) {
                    if (c.isOpen()) {
                        try {
                            c.begin(1, 0);
                            c.flush();
                        } catch (IOException e) {
                            c.close(e.toString());
                        }
                    }
                }
            });
        }
    }
}
