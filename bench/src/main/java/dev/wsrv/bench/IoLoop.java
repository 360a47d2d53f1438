package dev.wsrv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/** One client thread with its selector; the connections it owns are touched only on it. */
final class IoLoop implements Runnable {

    final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Runnable tick = () -> { };
    /** The connections of this loop; touched on this thread only. */
    final java.util.List<WsConn> conns = new java.util.ArrayList<>();

    // written by this thread only; read by the coordinator for progress lines
    final Histogram histogram = new Histogram(60_000_000_000L, 3);
    volatile long completed;
    volatile long errors;

    IoLoop(int index) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this, "bench-io-" + index);
        thread.setDaemon(true);
        thread.start();
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Sets what runs on this thread about every 50 ms (heartbeats). */
    void onTick(Runnable tick) {
        execute(() -> this.tick = tick);
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            for (SelectionKey k : selector.selectedKeys()) {
                WsConn c = (WsConn) k.attachment();
                try {
                    if (k.isValid() && k.isConnectable()) {
                        c.finishConnect();
                    }
                    if (k.isValid() && k.isWritable()) {
                        c.flush();
                    }
                    if (k.isValid() && k.isReadable()) {
                        c.read();
                    }
                } catch (IOException | RuntimeException e) {
                    c.close(String.valueOf(e));
                }
            }
            selector.selectedKeys().clear();
            tick.run();
        }
    }
}
