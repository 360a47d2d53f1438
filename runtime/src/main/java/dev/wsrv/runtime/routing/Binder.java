package dev.wsrv.runtime.routing;

import dev.wsrv.Request;
import dev.wsrv.WsException;
import dev.wsrv.runtime.codec.Json;
import dev.wsrv.runtime.codec.RawData;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds request data with the shared JSON-B instance, then validates it when a validator is present.
 *
 * <p>Every failure is a 422 whose data lists problems. JSON-B's own messages name Java classes and at most the
 * outermost property, so the problem is found by walking the data along the type ({@link TypeMismatch}), and only
 * where that finds nothing is JSON-B's message reduced to the property it concerns. Thread-safe.
 */
public final class Binder {

    private static final Pattern PROPERTY = Pattern.compile("property '([^']{1,200})'");

    private final Function<Object, List<Problem>> validator;

    /**
     * Creates a binder.
     *
     * @param validator lists the constraint violations of a bound value, or {@code null} for no validation
     */
    public Binder(Function<Object, List<Problem>> validator) {
        this.validator = validator;
    }

    /**
     * Binds a request's data to a type: a JSON-P type takes the request's value, any other type binds from the
     * data's text, which is walked along the type first ({@link TypeMismatch}) and then read once by JSON-B.
     */
    @SuppressWarnings("unchecked")
    <T> T bind(Request request, RawData raw, Type type) {
        Object value;
        if (type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c)) {
            JsonValue data = request.data();
            if (data == JsonValue.NULL) {
                throw required();
            }
            value = c.isInstance(data) ? data : fromJson(data.toString(), type);
        } else {
            if (raw.isNull()) {
                throw required();
            }
            String text = raw.text();
            Optional<Problem> mismatch = TypeMismatch.find(text, type);
            if (mismatch.isPresent()) {
                throw RequestContext.invalid(List.of(mismatch.get()));
            }
            value = fromJson(text, type);
        }
        if (value == null) {
            throw required();
        }
        if (validator != null) {
            List<Problem> problems = validator.apply(value);
            if (!problems.isEmpty()) {
                throw RequestContext.invalid(problems);
            }
        }
        return (T) value;
    }

    private static Object fromJson(String text, Type type) {
        try {
            return Json.jsonb().fromJson(text, type);
        } catch (JsonbException | ClassCastException | ArithmeticException | NumberFormatException e) {
            throw RequestContext.invalid(List.of(describe(e)));
        }
    }

    private static WsException required() {
        return RequestContext.invalid(List.of(new Problem("", "data is required")));
    }

    private static Problem describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : PROPERTY.matcher(t.getMessage());
            if (m != null && m.find()) {
                return new Problem(m.group(1), "has the wrong type or format");
            }
        }
        return new Problem("", "does not match the expected type");
    }
}
