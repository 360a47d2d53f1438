package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.WsrvConfig;
import dev.wsrv.runtime.session.SessionState;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The request limits of one session: its token bucket, its count of refusals, its asynchronous requests in
 * flight, and which limits it has already been warned about.
 *
 * <p>The bucket holds {@code requestBurst} tokens, starts full and refills at {@code requestsPerSecond}; every
 * non-heartbeat frame takes a token. It counts in billionths of a token, so that refilling is exact integer
 * arithmetic on {@link System#nanoTime()} with no drift. Refusals (429 answers for want of a token) are counted in
 * windows of 10 seconds, each opened by the first refusal after the previous one ended; the refusal that brings a
 * window's count to {@code violationsBeforeClose} asks for the session to be closed with 1008.
 *
 * <p>Not thread-safe, by design, except for the in-flight count: the container delivers one session's frames one
 * at a time, and only the delivering thread touches the rest. The in-flight count goes down on whatever thread
 * completes a request, so it is atomic.
 */
public final class RequestLimiter {

    /** The session user-properties key of a session's limiter. */
    public static final String KEY = "dev.wsrv.limiter";

    /** The window in which {@code violationsBeforeClose} refusals close the session. */
    public static final long VIOLATION_WINDOW_NANOS = 10_000_000_000L;

    private static final long ONE_TOKEN = 1_000_000_000L;

    /** The limits a session can be warned about, each at most once. */
    public enum Kind {
        /** A request refused for want of a token. */
        RATE,
        /** The session closed for too many refusals. */
        RATE_CLOSE,
        /** A request refused because too many asynchronous requests were in flight. */
        ASYNC,
        /** {@code data} nested too deeply. */
        DEPTH,
        /** {@code data} with too many keys. */
        KEYS
    }

    private final LongSupplier clock;

    /** The bucket's size in billionths of a token; 0 when the rate is not limited. */
    private final long capacity;
    /** The refill rate: billionths of a token per nanosecond, which is tokens per second. */
    private final long perNano;
    /** How long an empty bucket takes to fill. */
    private final long fillNanos;
    private long tokens;
    private long refilledAt;

    private final int violationsBeforeClose;
    private int violations;
    private long windowStart;
    private boolean closing;

    private final int asyncLimit;
    private final AtomicInteger inFlight = new AtomicInteger();

    private int warned;

    /**
     * Creates the limiter of one session.
     *
     * @param limits the limits; a zero {@code requestsPerSecond} or {@code requestBurst} turns the bucket off
     * @param clock the nanosecond clock, {@link System#nanoTime()} but in tests
     */
    public RequestLimiter(WsrvConfig.Limits limits, LongSupplier clock) {
        this.clock = clock;
        boolean rated = limits.requestsPerSecond() > 0 && limits.requestBurst() > 0;
        this.capacity = rated ? limits.requestBurst() * ONE_TOKEN : 0;
        this.perNano = limits.requestsPerSecond();
        this.fillNanos = rated ? capacity / perNano + 1 : 0;
        this.tokens = capacity;
        this.refilledAt = rated ? clock.getAsLong() : 0;
        this.violationsBeforeClose = limits.violationsBeforeClose();
        this.asyncLimit = limits.asyncInFlight();
    }

    /**
     * Returns the limiter of a session, creating it on the session's first frame.
     *
     * @param session the session
     * @param limits the limits of a new limiter
     * @return the limiter
     */
    static RequestLimiter of(SessionState session, WsrvConfig.Limits limits) {
        Map<String, Object> props = session.session().getUserProperties();
        Object l = props.get(KEY);
        if (l instanceof RequestLimiter limiter) {
            return limiter;
        }
        RequestLimiter limiter = new RequestLimiter(limits, System::nanoTime);
        props.put(KEY, limiter);
        return limiter;
    }

    /**
     * Takes a token for one frame.
     *
     * @return {@code true} if there was one (or the rate is not limited), {@code false} if the frame must be
     *     refused
     */
    public boolean tryAcquire() {
        if (capacity == 0) {
            return true;
        }
        long now = clock.getAsLong();
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

    /**
     * Counts one refusal for want of a token.
     *
     * @return {@code true} if it is the {@code violationsBeforeClose}th within the window: close the session now
     *     (from then on {@link #closing()} is {@code true})
     */
    public boolean violation() {
        if (violationsBeforeClose == 0 || closing) {
            return false;
        }
        long now = clock.getAsLong();
        if (violations == 0 || now - windowStart >= VIOLATION_WINDOW_NANOS) {
            windowStart = now;
            violations = 0;
        }
        if (++violations >= violationsBeforeClose) {
            closing = true;
        }
        return closing;
    }

    /**
     * Tells whether the session is being closed for too many refusals; its further frames are dropped.
     *
     * @return {@code true} once {@link #violation()} asked for the close
     */
    public boolean closing() {
        return closing;
    }

    /**
     * Tells whether the session has as many asynchronous requests in flight as it may.
     *
     * @return {@code true} if a new request must be refused
     */
    public boolean asyncFull() {
        return asyncLimit > 0 && inFlight.get() >= asyncLimit;
    }

    /** Counts a request whose handler answered with a stage that has not completed yet. */
    public void asyncStarted() {
        inFlight.incrementAndGet();
    }

    /** Counts the completion of such a stage; any thread. */
    public void asyncDone() {
        inFlight.decrementAndGet();
    }

    /**
     * Returns how many asynchronous requests are in flight.
     *
     * @return the count
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Tells whether this is the first time the session meets a limit of this kind, so that it is logged once.
     *
     * @param kind the kind of limit
     * @return {@code true} the first time only
     */
    public boolean firstTime(Kind kind) {
        int bit = 1 << kind.ordinal();
        if ((warned & bit) != 0) {
            return false;
        }
        warned |= bit;
        return true;
    }
}
