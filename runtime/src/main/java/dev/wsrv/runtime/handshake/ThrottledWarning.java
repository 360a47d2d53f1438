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
        int before = admit();
        if (before >= 0) {
            log.log(Level.WARNING, withHeld(message, before));
        }
    }

    /**
     * Decides whether a line may be written now: at most one per 10 seconds.
     *
     * @return how many lines were held back since the last one that was written, or -1 when this one must be held
     *     back too
     */
    public int admit() {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + INTERVAL_NANOS)) {
            return held.getAndSet(0);
        }
        held.incrementAndGet();
        return -1;
    }

    /**
     * Appends the count of held-back lines to a message.
     *
     * @param message the message
     * @param held the count {@link #admit()} returned
     * @return the message, with the count when it is not zero
     */
    public static String withHeld(String message, int held) {
        return held == 0 ? message : message + " (and " + held + " more like it in the last 10 s)";
    }
}
