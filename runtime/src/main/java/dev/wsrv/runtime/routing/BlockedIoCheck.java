package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.WsrvThreads;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warns when a non-blocking handler holds the thread that read its frame longer than {@code wsrv.blockedIoWarnMs}:
 * once per command, at WARN, with the command, the time and where the thread is. The thread that runs the handler
 * only writes its start time and command into a slot of its own; a checker thread, started with the first such
 * request, looks at the slots a few times per threshold. Thread-safe.
 */
final class BlockedIoCheck implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockedIoCheck.class.getName());

    /** What one thread runs on the reader's behalf; written by that thread only. */
    static final class Slot {
        final WeakReference<Thread> thread;
        /** When the handler started, in {@link System#nanoTime()} units; 0 while none runs. */
        volatile long started;
        volatile String cmd;
        volatile String session;

        Slot(Thread thread) {
            this.thread = new WeakReference<>(thread);
        }

        void start(String sessionId, String command) {
            session = sessionId;
            cmd = command;
            started = Math.max(1, System.nanoTime());
        }

        void end() {
            started = 0;
        }
    }

    private final long thresholdNanos;
    private final WsrvThreads threads;
    private final ThreadLocal<Slot> own = ThreadLocal.withInitial(this::register);
    private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private ScheduledThreadPoolExecutor checker;
    private boolean closed;

    /**
     * Creates the check.
     *
     * @param threshold how long a handler may hold the thread, positive
     * @param threads makes the checker's thread
     */
    BlockedIoCheck(Duration threshold, WsrvThreads threads) {
        this.thresholdNanos = threshold.toNanos();
        this.threads = threads;
    }

    /**
     * Returns the calling thread's slot.
     *
     * @return the slot
     */
    Slot slot() {
        return own.get();
    }

    private Slot register() {
        Slot slot = new Slot(Thread.currentThread());
        slots.add(slot);
        synchronized (this) {
            if (checker == null && !closed) {
                checker = new ScheduledThreadPoolExecutor(1, threads.factory("wsrv-blocked-io-check-"));
                checker.setRemoveOnCancelPolicy(true);
                long period = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(thresholdNanos / 4,
                        TimeUnit.MILLISECONDS.toNanos(5)));
                checker.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
            }
        }
        return slot;
    }

    private void check() {
        try {
            long now = System.nanoTime();
            for (Slot slot : slots) {
                Thread thread = slot.thread.get();
                if (thread == null) {
                    slots.remove(slot);
                    continue;
                }
                long started = slot.started;
                String cmd = slot.cmd;
                String session = slot.session;
                if (started != 0 && now - started > thresholdNanos && cmd != null && slot.started == started
                        && warned.add(cmd)) {
                    warn(thread, session, cmd, now - started);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "wsrv: the check of blocked threads failed once", e);
        }
    }

    private void warn(Thread thread, String session, String cmd, long nanos) {
        Throwable where = new Throwable("where " + thread.getName() + " is");
        where.setStackTrace(thread.getStackTrace());
        LogRecord line = new LogRecord(Level.WARNING, LogText.request(session, cmd) + ": a non-blocking handler has"
                + " held the thread that read its frame (" + thread.getName() + ") for "
                + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms, more than wsrv.blockedIoWarnMs="
                + TimeUnit.NANOSECONDS.toMillis(thresholdNanos) + "; every connection of that thread waits meanwhile."
                + " Mark the handler @Blocking or @RunOnVirtualThread if it blocks; said once per command");
        line.setThrown(where);
        line.setLoggerName(LOG.getName());
        LOG.log(line);
    }

    /** Stops the checker. */
    @Override
    public synchronized void close() {
        closed = true;
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
