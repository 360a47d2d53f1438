package dev.wsrv.console;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request durations counted in buckets that grow by a quarter of a power of two from 1 µs to about 30 s, so that a
 * quantile is read at most a quarter above the true value (from 4 µs on; below, to the microsecond), at a fixed cost
 * per request: one array increment. Thread-safe.
 */
final class LatencyHistogram {

    /** Four buckets per power of two, up to 2^25 µs; the last bucket takes everything above. */
    static final int BUCKETS = 4 * 25;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    /** Adds this histogram's counts to {@code into}, which has {@link #BUCKETS} elements. */
    void addTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] += counts.get(i);
        }
    }

    static int bucket(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int quarter = exponent >= 2 ? (int) ((micros >> (exponent - 2)) & 3) : 0;
        return Math.min(BUCKETS - 1, exponent * 4 + quarter);
    }

    /** The largest duration a bucket holds, in milliseconds. */
    static double upperMillis(int bucket) {
        int exponent = bucket / 4;
        int quarter = bucket % 4;
        long micros = exponent >= 2 ? (5L + quarter) << (exponent - 2) : 1L << (exponent + 1);
        return micros / 1000.0;
    }

    /**
     * Returns a quantile of counts, as the upper bound of the bucket that holds it.
     *
     * @return milliseconds, or -1 when there are no counts
     */
    static double quantileMillis(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperMillis(i);
            }
        }
        return upperMillis(counts.length - 1);
    }
}
