package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.codec.Json;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds where request data does not fit the handler's type, as a path such as {@code rooms[2]} or {@code a.b[0].c}.
 *
 * <p>JSON-B says that binding failed, but not where (its messages name at most the outermost property, and nothing
 * inside an array), and at the top level Yasson coerces what it refuses in a property ({@code "7"} to an
 * {@code Integer}, {@code [1]} to a {@code double}). So the data's text is walked along the Java type (parser events,
 * nothing built) before JSON-B binds it, and the first value whose JSON type cannot bind there is reported with what was expected. Types it does not
 * know (an interface, {@code java.time}, a custom adapter's) are left to JSON-B.
 */
final class TypeMismatch {

    private static final ClassValue<Map<String, Type>> PROPERTIES = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> type) {
            return Map.copyOf(properties(type));
        }
    };

    private static final ClassValue<List<String>> CONSTANTS = new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> type) {
            return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        }
    };

    private TypeMismatch() {
    }

    /**
     * Walks data given as JSON text that the envelope reader has checked already.
     *
     * @return the first value that cannot bind, if any
     */
    static Optional<Problem> find(String data, Type type) {
        try (JsonParser parser = Json.parsers().createParser(new StringReader(data))) {
            return Optional.ofNullable(walk(parser, parser.next(), type, ""));
        }
    }

    /**
     * Walks the value that starts with the event just read. When it finds no problem the parser is past the value's
     * end; when it finds one, the rest of the text is left unread.
     */
    private static Problem walk(JsonParser p, Event e, Type type, String path) {
        if (type instanceof WildcardType) {
            Json.skip(p, e);
            return null;
        }
        Class<?> raw = raw(type);
        if (e == Event.VALUE_NULL) {
            // null binds to any reference type and to no primitive; for a primitive, a stand-in that no primitive
            // accepts (an array, never read: every primitive's check below refuses it) says what was expected
            if (raw == null || !raw.isPrimitive()) {
                return null;
            }
            e = Event.START_ARRAY;
        }
        if (raw == null || raw == Object.class || JsonValue.class.isAssignableFrom(raw)) {
            Json.skip(p, e);
            return null;
        }
        if (raw == String.class || raw == Character.class || raw == char.class) {
            return e == Event.VALUE_STRING ? null : new Problem(path, "expected a string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return e == Event.VALUE_TRUE || e == Event.VALUE_FALSE ? null : new Problem(path, "expected true or false");
        }
        String integral = integral(raw);
        if (integral != null) {
            if (e == Event.VALUE_NUMBER) {
                return fits(p.getBigDecimal(), raw) ? null
                        : new Problem(path, "expected an integer that fits " + integral);
            }
            return raw.isPrimitive() && e == Event.VALUE_STRING ? null
                    : new Problem(path, "expected an integer (" + integral + ")");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class || raw == BigInteger.class) {
            return e == Event.VALUE_NUMBER || raw.isPrimitive() && e == Event.VALUE_STRING ? null
                    : new Problem(path, "expected a number");
        }
        if (raw.isEnum()) {
            return e == Event.VALUE_STRING && CONSTANTS.get(raw).contains(p.getString()) ? null
                    : new Problem(path, "expected one of " + String.join(", ", CONSTANTS.get(raw)));
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            if (e != Event.START_ARRAY) {
                return new Problem(path, "expected an array");
            }
            Type element = raw.isArray() ? elementOfArray(type, raw) : argument(type, 0);
            int i = 0;
            Event each;
            while ((each = p.next()) != Event.END_ARRAY) {
                Problem problem = walk(p, each, element, path + "[" + i++ + "]");
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(raw)) {
            return e != Event.START_OBJECT ? new Problem(path, "expected an object")
                    : members(p, path, name -> argument(type, 1));
        }
        if (raw == Optional.class) {
            return walk(p, e, argument(type, 0), path);
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers()) || raw.getName().startsWith("java.")) {
            Json.skip(p, e);
            return null;   // java.time, UUID, ... bind from strings in formats JSON-B checks itself
        }
        if (e != Event.START_OBJECT) {
            return new Problem(path, "expected an object");
        }
        Map<String, Type> properties = PROPERTIES.get(raw);
        return members(p, path, properties::get);
    }

    /** Walks an object's members, each along the type {@code types} gives its name ({@code null}: not checked). */
    private static Problem members(JsonParser p, String path, Function<String, Type> types) {
        while (p.next() != Event.END_OBJECT) {
            String name = p.getString();
            Event value = p.next();
            Type t = types.apply(name);
            if (t == null) {
                Json.skip(p, value);
                continue;
            }
            Problem problem = walk(p, value, t, join(path, name));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** The JSON names of a class's properties: record components, or non-static fields, by their JSON-B names. */
    private static Map<String, Type> properties(Class<?> c) {
        Map<String, Type> names = new HashMap<>();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                JsonbProperty named = rc.getAnnotation(JsonbProperty.class);
                names.put(named != null && !named.value().isEmpty() ? named.value() : rc.getName(), rc.getGenericType());
            }
            return names;
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(JsonbTransient.class)) {
                    continue;
                }
                JsonbProperty named = f.getAnnotation(JsonbProperty.class);
                names.putIfAbsent(named != null && !named.value().isEmpty() ? named.value() : f.getName(),
                        f.getGenericType());
            }
        }
        return names;
    }

    private static boolean fits(BigDecimal n, Class<?> raw) {
        try {
            if (raw == long.class || raw == Long.class) {
                n.longValueExact();
                return true;
            }
            int i = n.intValueExact();
            return raw == short.class || raw == Short.class ? i >= Short.MIN_VALUE && i <= Short.MAX_VALUE
                    : raw != byte.class && raw != Byte.class || i >= Byte.MIN_VALUE && i <= Byte.MAX_VALUE;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static String integral(Class<?> raw) {
        if (raw == int.class || raw == Integer.class) {
            return "int";
        }
        if (raw == long.class || raw == Long.class) {
            return "long";
        }
        if (raw == short.class || raw == Short.class) {
            return "short";
        }
        return raw == byte.class || raw == Byte.class ? "byte" : null;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (t instanceof GenericArrayType g) {
            Class<?> component = raw(g.getGenericComponentType());
            return component == null ? null : component.arrayType();
        }
        return null;
    }

    private static Type argument(Type t, int i) {
        return t instanceof ParameterizedType p && p.getActualTypeArguments().length > i ? p.getActualTypeArguments()[i]
                : Object.class;
    }

    private static Type elementOfArray(Type t, Class<?> raw) {
        return t instanceof GenericArrayType g ? g.getGenericComponentType() : raw.getComponentType();
    }
}
