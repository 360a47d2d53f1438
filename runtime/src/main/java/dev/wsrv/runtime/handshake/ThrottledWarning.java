package dev.wsrv.runtime.handshake;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A WARN line that a flood cannot multiply: at most one per interval, counting the ones it held back.
 * Thread-safe.
 */
public final class ThrottledWarning {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger held = new AtomicInteger();

    /**
     * Creates the warning.
     *
     * @param log the logger it writes to
     */
    public ThrottledWarning(Logger log) {
        this.log = log;
    }

    /**
     * Logs the message, unless one was logged within the last 10 seconds.
     *
     * @param message the message; it must already be safe for one log line
     */
    public void warn(String message) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + INTERVAL_NANOS)) {
            int before = held.getAndSet(0);
            log.log(Level.WARNING, before == 0 ? message
                    : message + " (and " + before + " more like it in the last 10 s)");
        } else {
            held.incrementAndGet();
        }
    }
}
