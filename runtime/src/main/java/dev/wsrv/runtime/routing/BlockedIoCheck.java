package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.WsrvThreads;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warns when a non-blocking handler holds the thread that read its frame longer than {@code wsrv.blockedIoWarnMs}:
 * once per command, at WARN, with the command, the time and where the thread is. The thread that runs the handler
 * only writes its start time and command into a slot of its own; a checker thread, started with the first such
 * request, looks at the slots a few times per threshold. Commands without a handler count as one, so that clients
 * choosing names cannot make it warn without end. Thread-safe.
 *
 * <p>The slots are kept by thread in a map rather than in a {@code ThreadLocal}: a container's threads outlive the
 * application, and a value of the application's class left in their thread-local maps would keep it loaded.
 */
final class BlockedIoCheck implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockedIoCheck.class.getName());

    /** What one thread runs on the reader's behalf; written by that thread only. */
    static final class Slot {
        /** When the handler started, in {@link System#nanoTime()} units; 0 while none runs. */
        volatile long started;
        volatile String cmd;
        volatile String session;

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
    private final Set<String> known;
    private final Map<Thread, Slot> slots = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private ScheduledThreadPoolExecutor checker;
    private boolean closed;

    /**
     * Creates the check.
     *
     * @param threshold how long a handler may hold the thread, positive
     * @param threads makes the checker's thread
     * @param known the commands that have a handler
     */
    BlockedIoCheck(Duration threshold, WsrvThreads threads, Set<String> known) {
        this.thresholdNanos = threshold.toNanos();
        this.threads = threads;
        this.known = known;
    }

    /**
     * Returns the calling thread's slot.
     *
     * @return the slot
     */
    Slot slot() {
        Thread current = Thread.currentThread();
        Slot slot = slots.get(current);
        return slot != null ? slot : register(current);
    }

    private Slot register(Thread thread) {
        Slot slot = new Slot();
        slots.put(thread, slot);
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
            for (Map.Entry<Thread, Slot> e : slots.entrySet()) {
                Thread thread = e.getKey();
                if (!thread.isAlive()) {
                    slots.remove(thread);
                    continue;
                }
                Slot slot = e.getValue();
                long started = slot.started;
                String cmd = slot.cmd;
                String session = slot.session;
                if (started != 0 && now - started > thresholdNanos && cmd != null && slot.started == started
                        && warned.add(known.contains(cmd) ? cmd : "")) {
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
        slots.clear();
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
