package dev.wsrv.runtime.routing;

import dev.wsrv.Execution;
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
 * Warns of handlers that run too long: a non-blocking one that holds the thread that read its frame longer than
 * {@code wsrv.blockedIoWarnMs} (every connection of that thread waits), and one of any mode, on any thread, that runs
 * longer than {@code wsrv.slowHandlerWarnMs} (its session's next requests wait). Each warning comes once per command,
 * at WARN, with the command, the session, the time and where the thread is. The thread that runs the handler only
 * writes its start time and command into a slot of its own; a checker thread, started with the first such request,
 * looks at the slots a few times per threshold. Commands without a handler count as one, so that clients choosing
 * names cannot make it warn without end. Thread-safe.
 *
 * <p>The slots are kept by thread in a map rather than in a {@code ThreadLocal}: a container's threads outlive the
 * application, and a value of the application's class left in their thread-local maps would keep it loaded. A virtual
 * thread gives its slot back when it ends its turn, so that the map holds no thread that is gone.
 */
final class BlockedIoCheck implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockedIoCheck.class.getName());

    /** What one thread runs; written by that thread only. */
    static final class Slot {
        /** When the handler started, in {@link System#nanoTime()} units; 0 while none runs. */
        volatile long started;
        volatile String cmd;
        volatile String session;
        volatile Execution mode;
        /** Whether it is a non-blocking handler on the thread that read its frame. */
        volatile boolean reader;

        void start(String sessionId, String command, Execution runs, boolean onReader) {
            session = sessionId;
            cmd = command;
            mode = runs;
            reader = onReader;
            started = Math.max(1, System.nanoTime());
        }

        void end() {
            started = 0;
        }
    }

    /** The threshold of non-blocking handlers on the reading thread; 0 for none. */
    private final long blockedNanos;
    /** The threshold of every handler; 0 for none. */
    private final long slowNanos;
    private final WsrvThreads threads;
    private final Set<String> known;
    private final Map<Thread, Slot> slots = new ConcurrentHashMap<>();
    private final Set<String> warnedBlocked = ConcurrentHashMap.newKeySet();
    private final Set<String> warnedSlow = ConcurrentHashMap.newKeySet();
    private ScheduledThreadPoolExecutor checker;
    private boolean closed;

    /**
     * Creates the check.
     *
     * @param blockedIo how long a non-blocking handler may hold the thread that read its frame; zero for no limit
     * @param slow how long any handler may run; zero for no limit
     * @param threads makes the checker's thread
     * @param known the commands that have a handler
     */
    BlockedIoCheck(Duration blockedIo, Duration slow, WsrvThreads threads, Set<String> known) {
        this.blockedNanos = blockedIo.toNanos();
        this.slowNanos = slow.toNanos();
        this.threads = threads;
        this.known = known;
    }

    /**
     * Tells whether a handler is watched at all, so that one that is not costs nothing.
     *
     * @param reader whether it is a non-blocking handler on the thread that read its frame
     * @return {@code true} when one of the thresholds applies to it
     */
    boolean watches(boolean reader) {
        return slowNanos > 0 || reader && blockedNanos > 0;
    }

    /** Gives the calling thread's slot back; a virtual thread calls this when it ends its turn. */
    void leave() {
        slots.remove(Thread.currentThread());
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
                long shortest = blockedNanos == 0 ? slowNanos : slowNanos == 0 ? blockedNanos
                        : Math.min(blockedNanos, slowNanos);
                long period = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(shortest / 4,
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
                Execution mode = slot.mode;
                boolean reader = slot.reader;
                if (started == 0 || cmd == null || slot.started != started) {
                    continue;
                }
                long ran = now - started;
                String key = known.contains(cmd) ? cmd : "";
                if (reader && blockedNanos > 0 && ran > blockedNanos && warnedBlocked.add(key)) {
                    warnBlocked(thread, session, cmd, ran);
                }
                if (slowNanos > 0 && ran > slowNanos && warnedSlow.add(key)) {
                    warnSlow(thread, session, cmd, mode, ran);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "wsrv: the check of blocked threads failed once", e);
        }
    }

    private void warnBlocked(Thread thread, String session, String cmd, long nanos) {
        log(thread, LogText.request(session, cmd) + ": a non-blocking handler has held the thread that read its frame ("
                + thread.getName() + ") for " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms, more than"
                + " wsrv.blockedIoWarnMs=" + TimeUnit.NANOSECONDS.toMillis(blockedNanos) + "; every connection of that"
                + " thread waits meanwhile. Mark the handler @Blocking or @RunOnVirtualThread if it blocks; said once"
                + " per command");
    }

    private void warnSlow(Thread thread, String session, String cmd, Execution mode, long nanos) {
        String kind = switch (mode) {
            case NON_BLOCKING -> "non-blocking";
            case BLOCKING -> "blocking";
            case VIRTUAL_THREAD -> "virtual-thread";
        };
        log(thread, LogText.request(session, cmd) + ": a " + kind + " handler has run on " + thread.getName() + " for "
                + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms, more than wsrv.slowHandlerWarnMs="
                + TimeUnit.NANOSECONDS.toMillis(slowNanos) + "; its session's next requests wait until it returns;"
                + " said once per command");
    }

    private static void log(Thread thread, String message) {
        Throwable where = new Throwable("where " + thread.getName() + " is");
        where.setStackTrace(thread.getStackTrace());
        LogRecord line = new LogRecord(Level.WARNING, message);
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
