package dev.wsrv.embedded;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The JVM shutdown hook that closes an embedded server, so that Ctrl-C or a SIGTERM closes its sessions with 1001.
 *
 * <p>The JDK's {@link LogManager} has a shutdown hook of its own that removes every handler, and the JVM runs hooks
 * at the same time: the server's closing lines, and whatever the application's {@code @PreDestroy} methods log,
 * would mostly go nowhere. So this hook first waits (briefly) for that reset, then gives the root logger back the
 * handlers and level it had when the hook was installed. A console handler survives the reset (closing it only
 * flushes); a file handler does not, and its lines stay lost.
 */
final class ShutdownHook {

    private static final long RESET_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Thread thread;
    private final List<Handler> rootHandlers;
    private final Level rootLevel;

    ShutdownHook(Runnable close) {
        Logger root = Logger.getLogger("");
        rootHandlers = List.of(root.getHandlers());
        rootLevel = root.getLevel();
        thread = new Thread(() -> {
            restoreLoggingAfterReset();
            close.run();
        }, "wsrv-shutdown");
        Runtime.getRuntime().addShutdownHook(thread);
    }

    /** Removes the hook unless the JVM is already shutting down or the hook is the caller. */
    void remove() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or will run; closing twice is harmless
        }
    }

    private void restoreLoggingAfterReset() {
        if (rootHandlers.isEmpty() || LogManager.getLogManager().getClass() != LogManager.class) {
            return;   // nothing to restore, or a log manager of its own (Log4j's, JBoss') that does not reset
        }
        Logger root = Logger.getLogger("");
        long deadline = System.nanoTime() + RESET_WAIT_NANOS;
        while (List.of(root.getHandlers()).containsAll(rootHandlers) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        awaitWholeReset();
        for (Handler h : rootHandlers) {
            if (!List.of(root.getHandlers()).contains(h)) {
                root.addHandler(h);
            }
        }
        if (rootLevel != null) {
            root.setLevel(rootLevel);
        }
    }

    /**
     * Waits (briefly) for the log manager's hook to end: its reset goes through every logger context, and the root
     * logger is in more than one, so a handler given back after the first removal can be removed again by a later
     * pass. Its thread has started by now, since it has removed a handler; when it is not found, nothing waits.
     */
    private void awaitWholeReset() {
        String hookClass = LogManager.class.getName() + "$";
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != thread && t.getClass().getName().startsWith(hookClass)) {
                try {
                    t.join(TimeUnit.NANOSECONDS.toMillis(RESET_WAIT_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
