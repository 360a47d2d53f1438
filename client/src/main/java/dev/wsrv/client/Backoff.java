package dev.wsrv.client;

import java.util.function.DoubleSupplier;

/**
 * The delays between reconnect attempts of one client, as {@link ReconnectOptions} describes them. Guarded by its
 * owner's lock.
 */
final class Backoff {

    private final ReconnectOptions options;
    private final DoubleSupplier random;
    private int attempts; // failed attempts since the last connection

    /**
     * @param options the backoff
     * @param random numbers from 0 (inclusive) to 1 (exclusive) for the jitter
     */
    Backoff(ReconnectOptions options, DoubleSupplier random) {
        this.options = options;
        this.random = random;
    }

    /** Whether the attempts allowed in a row have all been made. */
    boolean exhausted() {
        return options.maxAttempts() > 0 && attempts >= options.maxAttempts();
    }

    /** The attempts made since the last {@link #reset()}. */
    int attempts() {
        return attempts;
    }

    /** The delay before the next attempt, in nanoseconds; counts the attempt. */
    long nextDelayNanos() {
        return delayNanos(options, attempts++, random.getAsDouble());
    }

    /** A connection opened: the next close starts from the first delay again. */
    void reset() {
        attempts = 0;
    }

    /**
     * The delay before attempt {@code attempt} (0 for the first after a close): {@code initialDelay × factor^attempt}
     * up to {@code maxDelay}, less {@code jitter × random} of it.
     */
    static long delayNanos(ReconnectOptions o, int attempt, double random) {
        double base = Math.min((double) o.maxDelay().toNanos(),
                o.initialDelay().toNanos() * Math.pow(o.factor(), attempt));
        return Math.round(base * (1 - o.jitter() * random));
    }
}
