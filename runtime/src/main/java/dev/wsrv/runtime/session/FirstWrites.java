package dev.wsrv.runtime.session;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first writes of one push to many sessions, shared between the pushing thread and the common pool's threads.
 *
 * <p>A write to a socket costs a system call and, on loopback, the receiving side of TCP too: tens of microseconds,
 * against one for queueing the message. So the pushing thread queues the message on every session in batches, hands
 * each batch's first writes to helpers as soon as it is queued, and writes what is left once everything is queued:
 * the first sessions are written while the last are still being queued, and the writes are spread over the cores.
 * Each session's messages are in its queue, in order, before any thread writes them. A small push is written by the
 * pushing thread alone. Used by one push on one thread, except {@link #ready} and the helpers' draining.
 */
final class FirstWrites {

    /** Sessions per batch: the helpers' unit of work. */
    static final int BATCH = 128;

    private final ConcurrentLinkedQueue<List<SessionSender>> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger helpers = new AtomicInteger();
    private final int maxHelpers;

    /**
     * Prepares the first writes of a push.
     *
     * @param targets how many sessions the push goes to
     */
    FirstWrites(int targets) {
        maxHelpers = targets < 2 * BATCH ? 0 : Math.min(ForkJoinPool.getCommonPoolParallelism(), targets / BATCH - 1);
    }

    /**
     * Hands over a batch of senders that wait for their first write; a helper starts when fewer than the cap run.
     *
     * @param batch the senders, not changed afterwards by the caller
     */
    void ready(List<SessionSender> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ready.add(batch);
        if (helpers.get() < maxHelpers) {
            helpers.incrementAndGet();
            try {
                ForkJoinPool.commonPool().execute(this::help);
            } catch (RejectedExecutionException e) {
                // the pushing thread writes it in drain()
                helpers.decrementAndGet();
            }
        }
    }

    /** Writes every batch no helper took; the pushing thread calls it once everything is queued. */
    void drain() {
        for (List<SessionSender> batch; (batch = ready.poll()) != null; ) {
            batch.forEach(SessionSender::startSending);
        }
    }

    private void help() {
        try {
            drain();
        } finally {
            helpers.decrementAndGet();
        }
    }
}
