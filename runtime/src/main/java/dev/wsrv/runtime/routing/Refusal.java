package dev.wsrv.runtime.routing;

/**
 * A request limit that refused a frame: the frame is answered 429 in its place among the session's replies, and the
 * session is closed with 1008 after that reply when it was one refusal too many. Immutable.
 *
 * @param kind the limit
 * @param closeAfter whether the session is closed after the 429
 */
record Refusal(RequestLimiter.Kind kind, boolean closeAfter) {

    /** Too many asynchronous requests of the session in flight; never closes the session. */
    static final Refusal ASYNC = new Refusal(RequestLimiter.Kind.ASYNC, false);
}
