package dev.wsrv.client;

import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of one request: the type its reply's data is bound to, and a timeout of its own, as in the JavaScript
 * client's request options. Immutable and thread-safe.
 *
 * <pre>{@code
 * c.request("slow", null, RequestOptions.timeout(Duration.ofSeconds(30)));                  // JsonValue
 * c.request("userinfo", null, RequestOptions.replyAs(UserInfo.class).withTimeout(Duration.ofSeconds(2)));
 * c.request("users", null, RequestOptions.<List<User>>replyAs(usersType));                 // a generic type
 * }</pre>
 *
 * @param <T> the type the reply's data is bound to
 */
public final class RequestOptions<T> {

    private final Type type;
    private final Duration timeout; // null: the client's requestTimeout

    private RequestOptions(Type type, Duration timeout) {
        this.type = Objects.requireNonNull(type, "type");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("wsrv: timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * Options for a request with its own timeout, whose reply's data stays raw JSON.
     *
     * @param timeout how long to wait for the reply; {@link Duration#ZERO} waits without limit
     * @return the options
     * @throws IllegalArgumentException if the timeout is negative
     */
    public static RequestOptions<JsonValue> timeout(Duration timeout) {
        return new RequestOptions<>(JsonValue.class, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Options for a request whose reply's data is bound to a class with JSON-B ({@link JsonValue} types are given
     * as they are), with the client's request timeout.
     *
     * @param type the class
     * @param <T> the reply type
     * @return the options
     */
    public static <T> RequestOptions<T> replyAs(Class<T> type) {
        return new RequestOptions<>(type, null);
    }

    /**
     * Options for a request whose reply's data is bound to a generic type with JSON-B, for example
     * {@code new ArrayList<User>(){}.getClass().getGenericSuperclass()}, with the client's request timeout.
     *
     * @param type the type
     * @param <T> the reply type (unchecked)
     * @return the options
     */
    public static <T> RequestOptions<T> replyAs(Type type) {
        return new RequestOptions<>(type, null);
    }

    /**
     * Returns these options with a timeout of their own.
     *
     * @param timeout how long to wait for the reply; {@link Duration#ZERO} waits without limit
     * @return the changed copy
     * @throws IllegalArgumentException if the timeout is negative
     */
    public RequestOptions<T> withTimeout(Duration timeout) {
        return new RequestOptions<>(type, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Returns the type the reply's data is bound to.
     *
     * @return the type, never {@code null}; {@code JsonValue.class} for raw JSON
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the request's own timeout.
     *
     * @return the timeout, or empty for the client's request timeout
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOptions<?> r && type.equals(r.type) && Objects.equals(timeout, r.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, timeout);
    }

    @Override
    public String toString() {
        return "RequestOptions[type=" + type.getTypeName() + ", timeout=" + timeout + "]";
    }
}
