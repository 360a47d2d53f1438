package dev.wsrv.it.core;

import dev.wsrv.runtime.Ticker;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of the request limits, moved only by the test, so that the limits act the same however fast the machine
 * is: a server with this bean refills its token buckets only when the test says time has passed. It counts how often
 * the server read it, which shows that a frame has arrived (the limits read the clock when a frame arrives).
 */
@ApplicationScoped
public class ManualTicker implements Ticker {

    private static final AtomicLong NOW = new AtomicLong(-987_654_321_000L);
    private static final AtomicLong READS = new AtomicLong();

    @Override
    public long nanoTime() {
        READS.incrementAndGet();
        return NOW.get();
    }

    /** Moves the clock on. */
    static void advance(long amount, TimeUnit unit) {
        NOW.addAndGet(unit.toNanos(amount));
    }

    /** How often a server has read the clock so far. */
    static long reads() {
        return READS.get();
    }
}
