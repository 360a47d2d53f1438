package dev.wsrv.runtime.routing;

import dev.wsrv.WsrvConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request limits of one session: its token bucket, its count of refusals, its asynchronous requests in
 * flight, and which limits it has already been warned about.
 *
 * <p>The bucket holds {@code requestBurst} tokens, starts full and refills at {@code requestsPerSecond}; every
 * non-heartbeat frame takes a token when it arrives. Refusals (429 answers for want of a token) are counted in
 * windows of 10 seconds, each opened by the first refusal after the previous one ended; the refusal that brings a
 * window's count to {@code violationsBeforeClose} asks for the session to be closed with 1008.
 *
 * <p>The bucket and the refusals are used only by the thread that delivers the session's frames, one frame at a
 * time, and are not thread-safe. The in-flight count goes down on whatever thread completes a request, and the
 * warnings are taken on any thread: both are atomic.
 */
public final class RequestLimiter {

    /** The window in which {@code violationsBeforeClose} refusals close the session. */
    public static final long VIOLATION_WINDOW_NANOS = 10_000_000_000L;

    /** The limits a session can be warned about, each at most once. */
    public enum Kind {
        /** A request refused for want of a token. */
        RATE,
        /** A request refused because the session's address had spent its budget. */
        ADDRESS,
        /** The session closed for too many refusals. */
        RATE_CLOSE,
        /** A request refused because too many asynchronous requests were in flight. */
        ASYNC,
        /** {@code data} nested too deeply. */
        DEPTH,
        /** {@code data} with too many keys. */
        KEYS
    }

    /** The bucket, or {@code null} when the rate is not limited. */
    private final TokenBucket bucket;

    private final int violationsBeforeClose;
    private int violations;
    private long windowStart;
    private boolean closing;

    private final int asyncLimit;
    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger warned = new AtomicInteger();

    /**
     * Creates the limiter of one session.
     *
     * @param limits the limits; a zero {@code requestsPerSecond} or {@code requestBurst} turns the bucket off
     * @param now the time the session opened, in {@link System#nanoTime()} units
     */
    public RequestLimiter(WsrvConfig.Limits limits, long now) {
        boolean rated = limits.requestsPerSecond() > 0 && limits.requestBurst() > 0;
        this.bucket = rated ? new TokenBucket(limits.requestsPerSecond(), limits.requestBurst(), now) : null;
        this.violationsBeforeClose = limits.violationsBeforeClose();
        this.asyncLimit = limits.asyncInFlight();
    }

    /**
     * Takes a token for one frame.
     *
     * @param now the frame's arrival
     * @return {@code true} if there was one (or the rate is not limited), {@code false} if the frame must be
     *     refused
     */
    public boolean tryAcquire(long now) {
        return bucket == null || bucket.take(now);
    }

    /**
     * Counts one refusal for want of a token.
     *
     * @param now the refused frame's arrival
     * @return {@code true} if it is the {@code violationsBeforeClose}th within the window: close the session now
     *     (from then on {@link #closing()} is {@code true})
     */
    public boolean violation(long now) {
        if (violationsBeforeClose == 0 || closing) {
            return false;
        }
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
     * @return {@code true} once {@link #violation} asked for the close
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
        return (warned.getAndUpdate(w -> w | bit) & bit) == 0;
    }
}
