package dev.wsrv.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WsrvClient} reconnects after a connection closes (other than by {@link WsrvClient#close()}):
 * exponential backoff with jitter, as in the JavaScript client's {@code reconnect} option, with the same names.
 *
 * <p>The delay before attempt {@code n} (0 for the first after a close) is {@code initialDelay × factor^n}, at most
 * {@code maxDelay}, less a random part of up to {@code jitter} of it: clients that lost their server at the same
 * moment come back spread out over that range instead of all at once, and never later than {@code maxDelay}. A
 * successful connection starts the count again. Immutable and thread-safe.
 *
 * <pre>{@code
 * WsrvClient.builder(uri).reconnect(ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(200)))
 * }</pre>
 *
 * @param initialDelay the delay before the first attempt after a close, not negative
 * @param maxDelay the longest delay, at least {@code initialDelay}
 * @param factor how much the delay grows after each failed attempt, at least 1
 * @param jitter the largest random fraction taken off each delay, from 0 (none) to 1
 * @param maxAttempts how many failed attempts in a row before giving up; 0 never gives up
 */
public record ReconnectOptions(Duration initialDelay, Duration maxDelay, double factor, double jitter,
        int maxAttempts) {

    /** 500 ms, doubling up to 30 s, jitter 0.5, never giving up. */
    public static final ReconnectOptions DEFAULTS =
            new ReconnectOptions(Duration.ofMillis(500), Duration.ofSeconds(30), 2, 0.5, 0);

    /**
     * Checks the options.
     *
     * @param initialDelay the first delay
     * @param maxDelay the longest delay
     * @param factor the growth factor
     * @param jitter the random fraction
     * @param maxAttempts the attempts before giving up, 0 for no limit
     * @throws NullPointerException if a delay is {@code null}
     * @throws IllegalArgumentException if a value is out of its range
     */
    public ReconnectOptions {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("wsrv: initialDelay must not be negative: " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("wsrv: maxDelay must be at least initialDelay: " + maxDelay + " < "
                    + initialDelay);
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("wsrv: factor must be at least 1: " + factor);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("wsrv: jitter must be from 0 to 1: " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("wsrv: maxAttempts must not be negative: " + maxAttempts);
        }
    }

    /**
     * Returns these options with another first delay.
     *
     * @param delay the delay before the first attempt, at most {@link #maxDelay()}
     * @return the changed copy
     */
    public ReconnectOptions withInitialDelay(Duration delay) {
        return new ReconnectOptions(delay, maxDelay, factor, jitter, maxAttempts);
    }

    /**
     * Returns these options with another longest delay.
     *
     * @param delay the longest delay, at least {@link #initialDelay()}
     * @return the changed copy
     */
    public ReconnectOptions withMaxDelay(Duration delay) {
        return new ReconnectOptions(initialDelay, delay, factor, jitter, maxAttempts);
    }

    /**
     * Returns these options with another growth factor.
     *
     * @param factor at least 1 (1 keeps the delay constant)
     * @return the changed copy
     */
    public ReconnectOptions withFactor(double factor) {
        return new ReconnectOptions(initialDelay, maxDelay, factor, jitter, maxAttempts);
    }

    /**
     * Returns these options with another jitter.
     *
     * @param jitter from 0 (every client waits exactly the backoff) to 1
     * @return the changed copy
     */
    public ReconnectOptions withJitter(double jitter) {
        return new ReconnectOptions(initialDelay, maxDelay, factor, jitter, maxAttempts);
    }

    /**
     * Returns these options with another limit on failed attempts in a row.
     *
     * @param attempts the limit; 0 never gives up
     * @return the changed copy
     */
    public ReconnectOptions withMaxAttempts(int attempts) {
        return new ReconnectOptions(initialDelay, maxDelay, factor, jitter, attempts);
    }
}
