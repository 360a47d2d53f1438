package dev.wsrv.runtime;

/**
 * The clock wsrv's request limits count with, in {@link System#nanoTime()} units. Without a bean of this type it is
 * {@link System#nanoTime()}; an application may provide one bean (for example a test that wants the limits to act
 * the same however fast the machine is). Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's clock. */
    Ticker SYSTEM = System::nanoTime;

    /**
     * Returns the current time.
     *
     * @return nanoseconds from an arbitrary origin, never going back
     */
    long nanoTime();
}
