package dev.wsrv.runtime.codec;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;
import java.util.function.Function;

/**
 * JSON-B deserializers that bind integral Java types only from numbers that fit them exactly. Yasson narrows
 * silently: {@code 1e999999999} became an {@code int} 0 and a handler saw data the client never sent; here it is
 * a binding failure, and so a 422.
 *
 * @param <T> the bound type
 */
abstract class ExactIntegers<T> implements JsonbDeserializer<T> {

    private final String name;
    private final Function<JsonNumber, T> exact;

    private ExactIntegers(String name, Function<JsonNumber, T> exact) {
        this.name = name;
        this.exact = exact;
    }

    static JsonbDeserializer<?>[] all() {
        return new JsonbDeserializer<?>[] {
            new ExactIntegers<Integer>("int", JsonNumber::intValueExact) { },
            new ExactIntegers<Long>("long", JsonNumber::longValueExact) { },
            new ExactIntegers<Short>("short", n -> (short) narrow(n.intValueExact(), Short.MIN_VALUE, Short.MAX_VALUE)) { },
            new ExactIntegers<Byte>("byte", n -> (byte) narrow(n.intValueExact(), Byte.MIN_VALUE, Byte.MAX_VALUE)) { },
        };
    }

    private static int narrow(int v, int min, int max) {
        if (v < min || v > max) {
            throw new ArithmeticException("out of range");
        }
        return v;
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
        JsonValue v = parser.getValue();
        if (v == JsonValue.NULL) {
            return null;   // a boxed property left empty; JSON-B keeps a primitive's default
        }
        if (!(v instanceof JsonNumber n)) {
            throw new JsonbException("expected an integer (" + name + ")");
        }
        try {
            return exact.apply(n);
        } catch (ArithmeticException e) {
            throw new JsonbException("not an exact " + name, e);
        }
    }
}
