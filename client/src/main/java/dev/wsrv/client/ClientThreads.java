package dev.wsrv.client;

import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The resources every client shares, created on first use: daemon threads only, so they never keep a JVM alive. */
final class ClientThreads {

    /** The HTTP client of clients that bring none. */
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Completes request stages of clients that bring no executor. */
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(daemonThreads("wsrv-client-reply", true));
    /** Request timeouts, heartbeats, close guards and reconnect delays of every client. */
    static final ScheduledThreadPoolExecutor SCHEDULER;

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1, daemonThreads("wsrv-client-timer", true));
        SCHEDULER.setRemoveOnCancelPolicy(true);
        SCHEDULER.setKeepAliveTime(30, TimeUnit.SECONDS);
        SCHEDULER.allowCoreThreadTimeOut(true);
    }

    private ClientThreads() {
    }

    static ThreadFactory daemonThreads(String name, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a task on the executor, or here when the executor refuses it (shut down): a stage never stays open. */
    static void execute(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
