package dev.wsrv.runtime.observe;

/**
 * One request and its reply, as a {@link WsrvObserver} hears of it.
 *
 * @param sessionId the session's id
 * @param user the user bound to the session, or {@code null}
 * @param traceparent the W3C {@code traceparent} header of the session's upgrade request, or {@code null}
 * @param cmd the command as the client sent it; empty when the frame had none that could be read
 * @param routed whether a handler is registered for {@code cmd}; {@code false} for unknown and unreadable commands,
 *     whose names a meter should not use as tags (any client can make up as many as it likes)
 * @param status the reply's status
 * @param nanos how long the request took, from its turn to its reply; 0 for a refusal
 */
public record RequestDone(String sessionId, String user, String traceparent, String cmd, boolean routed, int status,
                          long nanos) {
}
