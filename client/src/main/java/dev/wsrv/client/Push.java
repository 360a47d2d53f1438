package dev.wsrv.client;

import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * One server-initiated message: an inbound envelope whose seqno matches no pending request.
 *
 * <p>It has the shape of a reply; the seqno is the server's. Immutable and thread-safe.
 *
 * @param cmd the push's command, never {@code null} ({@code ""} when absent)
 * @param seqno the server's seqno, never {@code null} ({@code ""} when absent)
 * @param status the status, usually 0
 * @param msg the message, never {@code null} ({@code ""} when absent)
 * @param data the data as raw JSON, never {@code null} ({@link JsonValue#NULL} when absent)
 */
public record Push(String cmd, String seqno, int status, String msg, JsonValue data) {

    /**
     * Creates a push, checking that no component is {@code null}.
     *
     * @param cmd the push's command
     * @param seqno the server's seqno
     * @param status the status
     * @param msg the message
     * @param data the data as raw JSON
     * @throws NullPointerException if a component is {@code null}
     */
    public Push {
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(seqno, "seqno");
        Objects.requireNonNull(msg, "msg");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Binds the push's data to a class with JSON-B.
     *
     * @param type the class to bind to, not {@code null}
     * @param <T> the bound type
     * @return the bound value; {@code null} when the data is JSON {@code null}
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T data(Class<T> type) {
        return JsonSupport.bind(data, type);
    }

    /**
     * Binds the push's data to a generic type with JSON-B, for example a parameterised {@code Map}.
     *
     * @param type the type to bind to, not {@code null}
     * @param <T> the bound type (unchecked)
     * @return the bound value; {@code null} when the data is JSON {@code null}
     * @throws jakarta.json.bind.JsonbException if the data cannot be bound
     */
    public <T> T data(Type type) {
        return JsonSupport.bind(data, type);
    }
}
