package dev.wsrv;

/**
 * Answers one command; the programmatic counterpart of a {@link Command} method.
 *
 * <p>A handler answers through {@link Context#ok()}, {@link Context#ok(Object)} or
 * {@link Context#error(int, String)}, or by throwing. A handler that returns without answering gets the
 * response {@code -1 not implement}, as in the protocol. Handlers of one session never run concurrently; handlers
 * of different sessions do, so a handler shared between sessions must be thread-safe.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles one request.
     *
     * @param ctx the request's context, never {@code null}, valid only during this call
     * @throws Exception any failure; a {@link WsException} keeps its status, anything else answers 500
     */
    void handle(Context ctx) throws Exception;
}
