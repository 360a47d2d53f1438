package dev.wsrv.runtime.routing;

/**
 * A token bucket: it holds {@code burst} tokens, starts full and refills at {@code perSecond}. It counts in
 * billionths of a token, so that refilling is exact integer arithmetic on nanosecond timestamps with no drift.
 *
 * <p>Every call passes the time it counts at: the arrival of the frame that asks for a token, so that a client is
 * charged for when it sent, never for when a busy server got round to its request. Not thread-safe.
 */
final class TokenBucket {

    private static final long ONE_TOKEN = 1_000_000_000L;

    /** The size in billionths of a token. */
    private final long capacity;
    /** The refill rate: billionths of a token per nanosecond, which is tokens per second. */
    private final long perNano;
    /** How long an empty bucket takes to fill. */
    private final long fillNanos;
    private long tokens;
    private long refilledAt;

    /**
     * Creates a full bucket.
     *
     * @param perSecond the refill rate, positive
     * @param burst the size, positive
     * @param now the time of creation, in {@link System#nanoTime()} units
     */
    TokenBucket(int perSecond, int burst, long now) {
        this.capacity = burst * ONE_TOKEN;
        this.perNano = perSecond;
        this.fillNanos = capacity / perNano + 1;
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /**
     * Takes a token.
     *
     * @param now the time to count at; a time before the last one refills nothing
     * @return {@code true} if there was one
     */
    boolean take(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            refilledAt = now;
            // below fillNanos, elapsed * perNano < capacity + perNano: no overflow
            tokens = elapsed >= fillNanos ? capacity : Math.min(capacity, tokens + elapsed * perNano);
        }
        if (tokens >= ONE_TOKEN) {
            tokens -= ONE_TOKEN;
            return true;
        }
        return false;
    }
}
