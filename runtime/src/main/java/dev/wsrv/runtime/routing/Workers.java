package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.WsrvThreads;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * wsrv's worker threads ({@code wsrv.workers}): they run the sessions' inboxes, one turn at a time, in the order the
 * turns were asked for. A session with more to do after its turn asks for another at the back of the line, so that
 * every session that waits gets a turn before any session gets two. Threads start when needed and end after a minute
 * without work. The threads come from {@link WsrvThreads}: the container's managed ones in a WAR. Thread-safe.
 */
final class Workers {

    private final ThreadPoolExecutor pool;

    /**
     * Creates the pool.
     *
     * @param threads how many threads at most, positive
     * @param source makes the threads
     */
    Workers(int threads, WsrvThreads source) {
        // a transfer queue hands a turn straight to a worker that is waiting for one, and a worker spins a moment
        // before it parks: most hand-offs then cost no wake-up (measured: 50 x 8 echo at 86% of raw Tyrus instead of
        // 71% with a blocking queue); it is FIFO like any queue, which the turns rely on
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedTransferQueue<>(),
                source.factory("wsrv-worker-"));
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Asks for a turn.
     *
     * @param turn the inbox's turn
     * @throws java.util.concurrent.RejectedExecutionException once the pool is closed
     */
    void execute(Runnable turn) {
        pool.execute(turn);
    }

    /**
     * Tells whether some session waits for a turn, in which case a session that had its turn yields.
     *
     * @return {@code true} when a turn is queued
     */
    boolean othersWaiting() {
        return !pool.getQueue().isEmpty();
    }

    /** Lets running turns finish and refuses new ones. */
    void close() {
        pool.shutdown();
    }
}
