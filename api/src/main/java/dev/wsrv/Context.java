package dev.wsrv;

import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One request on its way through the middleware chain to its handler, and the response being built for it.
 *
 * <p>A context is created per request and is confined to the thread that runs the chain: use it only during
 * the call of the handler or middleware that received it. Its session attributes ({@link #get}, {@link #set})
 * live in the WebSocket session's user properties and are private to that session. No method accepts
 * {@code null} unless it says so.
 */
public interface Context {

    /**
     * Returns the command of the request.
     *
     * @return the non-empty command name
     */
    String cmd();

    /**
     * Returns the client's request id, echoed in the response.
     *
     * @return the seqno, {@code ""} when the client sent none
     */
    String seqno();

    /**
     * Returns the id of the session the request came from, unique across nodes.
     *
     * @return the session id
     */
    String sessionId();

    /**
     * Returns who the session was admitted as: the principal a {@link HandshakeAuthenticator} accepted it as, or
     * else the one the container authenticated the upgrade request as.
     *
     * @return the principal, or empty for an anonymous session
     */
    Optional<Principal> principal();

    /**
     * Returns the request's {@code data} as raw JSON.
     *
     * @return the data, {@link JsonValue#NULL} when absent
     */
    JsonValue data();

    /**
     * Binds the request's {@code data} to a type with JSON-B, then validates it with Bean Validation when a
     * validator is available.
     *
     * @param type the class to bind to
     * @param <T> the bound type
     * @return the bound value, never {@code null}
     * @throws WsException with status 422 when the data is absent, cannot be bound or is invalid; its data
     *     lists each problem as {@code {"path": ..., "message": ...}}
     */
    <T> T bind(Class<T> type);

    /**
     * Binds the request's {@code data} to a generic type; see {@link #bind(Class)}.
     *
     * @param type the type to bind to, for example a parameterised {@code List}
     * @param <T> the bound type
     * @return the bound value, never {@code null}
     * @throws WsException with status 422 when the data is absent, cannot be bound or is invalid
     */
    <T> T bind(Type type);

    /**
     * Returns a session attribute.
     *
     * @param key the attribute name
     * @param <T> the expected type (unchecked)
     * @return the value, or {@code null} when not set
     */
    <T> T get(String key);

    /**
     * Sets a session attribute, visible to later requests of the same session only.
     *
     * @param key the attribute name
     * @param value the value; {@code null} removes the attribute
     */
    void set(String key, Object value);

    /**
     * Removes a session attribute.
     *
     * @param key the attribute name
     * @param <T> the expected type (unchecked)
     * @return the removed value, or {@code null} when not set
     */
    <T> T remove(String key);

    /** Answers with status 0, message {@code ok} and data {@code {}}. */
    void ok();

    /**
     * Answers with status 0, message {@code ok} and the given data.
     *
     * @param data the response data, serialised with JSON-B; {@code null} for {@code {}}
     */
    void ok(Object data);

    /**
     * Answers with an error.
     *
     * @param status the non-zero status
     * @param msg the message
     */
    void error(int status, String msg);

    /**
     * Answers with an error and data.
     *
     * @param status the non-zero status
     * @param msg the message
     * @param data the response data; {@code null} for {@code {}}
     */
    void error(int status, String msg, Object data);

    /**
     * Returns the response set so far.
     *
     * @return the response, or {@code null} while nothing has answered
     */
    Reply response();

    /**
     * Runs the rest of the chain and returns when it is done, so that code after it sees the response.
     *
     * <p>It does not throw: a failure in the rest of the chain is already turned into the response (a
     * {@link WsException}'s status, or 500) when it returns, and the chain is then aborted. For a handler that
     * answers with a {@link java.util.concurrent.CompletionStage}, it returns before the stage completes and the
     * response is still {@code null}.
     */
    void next();

    /** Stops the rest of the chain; the response set so far (or {@code -1 not implement}) is sent. */
    void abort();

    /**
     * Stops the rest of the chain and answers with the given status and message.
     *
     * @param status the status
     * @param msg the message
     */
    void abort(int status, String msg);

    /**
     * Tells whether the chain was aborted.
     *
     * @return {@code true} after {@link #abort()}
     */
    boolean isAborted();

    /**
     * Pushes a message to this request's session, after the pushes and responses it has already queued.
     *
     * @param cmd the command of the push
     * @param data the data, serialised with JSON-B; {@code null} for {@code {}}
     * @return the outcome of the push
     */
    CompletionStage<PushResult> push(String cmd, Object data);

    /**
     * Binds this session to a user: one user per session, many sessions per user. Binding again replaces
     * the previous user.
     *
     * @param userId the user id
     */
    void bindUser(String userId);

    /**
     * Returns the user this session is bound to.
     *
     * @return the user id, or empty when not bound
     */
    Optional<String> user();

    /**
     * Adds this session to a group; joining a group twice has no further effect.
     *
     * @param group the group name
     */
    void join(String group);

    /**
     * Removes this session from a group.
     *
     * @param group the group name
     */
    void leave(String group);
}
