package dev.wsrv.it.pusher;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** A bounded poll, for conditions that no latch or client wait can express. */
final class Waits {

    private Waits() {
    }

    static void until(Duration bound, String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("not within " + bound + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Holds for the whole period (checked every few milliseconds); for "nothing more happens". */
    static void holds(Duration period, String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding: " + what);
            }
            Thread.sleep(5);
        }
    }
}
