package dev.wsrv.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reports a reply whose {@code status} is not 0, with the reply's status, msg and data.
 *
 * <p>For example the demo answers a bad uid with status 422, msg {@code invalid data} and data
 * {@code [{"path":"uid","message":"must be a positive integer"}]}. The message says what the reply said, data
 * included, so that a failing test or a log line tells what was wrong:
 * {@code wsrv: register (seqno k3jx9a-4) failed with status 422: invalid data: uid: must be a positive integer}. A
 * list of problems ({@code path} and {@code message}, as in a 422 reply) appears as {@code path: message} joined by
 * {@code "; "}, other data as JSON text, no data or {@code {}} not at all; the text after the status is cut at
 * {@value #MAX_DETAIL} characters. Immutable and thread-safe.
 */
public final class WsrvStatusException extends WsrvException {

    private static final long serialVersionUID = 1L;

    /** The longest text, msg and data, that the message quotes from the reply; longer text is cut. */
    public static final int MAX_DETAIL = 500;

    /** The reply's status. */
    private final int status;
    /** The reply's msg. */
    private final String msg;
    /** The reply's data; not serialised. */
    private final transient JsonValue data;

    /**
     * Creates the exception from a reply's fields.
     *
     * @param status the non-zero status
     * @param msg the reply's msg, not {@code null} ({@code ""} when absent)
     * @param data the reply's data, not {@code null} ({@link JsonValue#NULL} when absent)
     * @param cmd the command, not {@code null}
     * @param seqno the seqno, not {@code null}
     */
    public WsrvStatusException(int status, String msg, JsonValue data, String cmd, String seqno) {
        super("wsrv: " + cmd + " (seqno " + seqno + ") failed with status " + status + ": " + summary(msg, data),
                Objects.requireNonNull(cmd, "cmd"), Objects.requireNonNull(seqno, "seqno"), null);
        this.status = status;
        this.msg = Objects.requireNonNull(msg, "msg");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The reply's msg and, unless it is absent or {@code {}}, its data; at most {@link #MAX_DETAIL} characters. */
    private static String summary(String msg, JsonValue data) {
        String text = msg;
        if (data != null && data != JsonValue.NULL && !JsonValue.EMPTY_JSON_OBJECT.equals(data)) {
            text += ": " + (isProblemList(data) ? problems(data.asJsonArray()) : data.toString());
        }
        if (text.length() <= MAX_DETAIL) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
        return text.substring(0, end) + "... (" + (text.length() - end) + " more characters)";
    }

    /** A 422 reply's data: {@code [{"path": ..., "message": ...}, ...]}, the path optional. */
    private static boolean isProblemList(JsonValue data) {
        return data instanceof JsonArray a && !a.isEmpty() && a.stream().allMatch(v -> v instanceof JsonObject o
                && o.get("message") instanceof JsonString
                && (!o.containsKey("path") || o.get("path") instanceof JsonString));
    }

    private static String problems(JsonArray list) {
        return list.stream().map(JsonValue::asJsonObject).map(o -> {
            String path = o.getString("path", "");
            return path.isEmpty() ? o.getString("message") : path + ": " + o.getString("message");
        }).collect(Collectors.joining("; "));
    }

    /**
     * Returns the reply's status.
     *
     * @return the status, never 0
     */
    public int status() {
        return status;
    }

    /**
     * Returns the reply's msg.
     *
     * @return the message, never {@code null}
     */
    public String msg() {
        return msg;
    }

    /**
     * Returns the reply's data as raw JSON.
     *
     * @return the data, never {@code null}; {@link JsonValue#NULL} when the reply had none
     */
    public JsonValue data() {
        return data;
    }

    /**
     * Binds the reply's data to a class with JSON-B.
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
     * Binds the reply's data to a generic type with JSON-B, for example a parameterised {@code List}.
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
