package dev.wsrv;

/**
 * Runs around the handler of a command, in the style of gin middleware and CDI interceptors.
 *
 * <p>As a CDI bean, a middleware is ordered by the {@code jakarta.annotation.Priority} on its class, lowest
 * first, and limited to some commands with {@link AppliesTo}. {@link Context#next()} runs the rest of the chain
 * and returns when it is done, so code after it sees the response; {@link Context#abort()} stops the chain. A
 * middleware that returns without calling either lets the chain go on. Middleware instances are shared by all
 * sessions and must be thread-safe.
 */
@FunctionalInterface
public interface Middleware {

    /**
     * Handles one request on its way to the handler.
     *
     * @param ctx the request's context, never {@code null}, valid only during this call
     * @throws Exception any failure; it stops the chain and is mapped to a response like a handler's
     */
    void handle(Context ctx) throws Exception;
}
