package dev.wsrv.runtime.routing;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
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

/**
 * Finds where request data does not fit the handler's type, as a path such as {@code rooms[2]} or {@code a.b[0].c}.
 *
 * <p>JSON-B says that binding failed, but not where (its messages name at most the outermost property, and nothing
 * inside an array), and at the top level Yasson coerces what it refuses in a property ({@code "7"} to an
 * {@code Integer}, {@code [1]} to a {@code double}). So the data is walked along the Java type before JSON-B binds
 * it, and the first value whose JSON type cannot bind there is reported with what was expected. Types it does not
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

    static Optional<Problem> find(JsonValue data, Type type) {
        return Optional.ofNullable(walk(data, type, ""));
    }

    private static Problem walk(JsonValue v, Type type, String path) {
        if (v == null || type instanceof WildcardType) {
            return null;
        }
        Class<?> raw = raw(type);
        if (v.getValueType() == JsonValue.ValueType.NULL) {
            // null binds to any reference type and to no primitive; for a primitive, a stand-in that no primitive
            // accepts lets the checks below say what was expected
            if (raw == null || !raw.isPrimitive()) {
                return null;
            }
            v = JsonValue.EMPTY_JSON_ARRAY;
        }
        if (raw == null || raw == Object.class || JsonValue.class.isAssignableFrom(raw)) {
            return null;
        }
        if (raw == String.class || raw == Character.class || raw == char.class) {
            return v instanceof JsonString ? null : new Problem(path, "expected a string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE
                    ? null : new Problem(path, "expected true or false");
        }
        String integral = integral(raw);
        if (integral != null) {
            if (v instanceof JsonNumber n) {
                return fits(n, raw) ? null : new Problem(path, "expected an integer that fits " + integral);
            }
            return raw.isPrimitive() && v instanceof JsonString ? null
                    : new Problem(path, "expected an integer (" + integral + ")");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class || raw == BigInteger.class) {
            return v instanceof JsonNumber || raw.isPrimitive() && v instanceof JsonString ? null
                    : new Problem(path, "expected a number");
        }
        if (raw.isEnum()) {
            return v instanceof JsonString s && CONSTANTS.get(raw).contains(s.getString()) ? null
                    : new Problem(path, "expected one of " + String.join(", ", CONSTANTS.get(raw)));
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            if (v.getValueType() != JsonValue.ValueType.ARRAY) {
                return new Problem(path, "expected an array");
            }
            Type element = raw.isArray() ? elementOfArray(type, raw) : argument(type, 0);
            int i = 0;
            for (JsonValue each : v.asJsonArray()) {
                Problem p = walk(each, element, path + "[" + i++ + "]");
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(v instanceof JsonObject o)) {
                return new Problem(path, "expected an object");
            }
            Type value = argument(type, 1);
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                Problem p = walk(e.getValue(), value, join(path, e.getKey()));
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (raw == Optional.class) {
            return walk(v, argument(type, 0), path);
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers()) || raw.getName().startsWith("java.")) {
            return null;   // java.time, UUID, ... bind from strings in formats JSON-B checks itself
        }
        if (!(v instanceof JsonObject o)) {
            return new Problem(path, "expected an object");
        }
        Map<String, Type> properties = PROPERTIES.get(raw);
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            Type t = properties.get(e.getKey());
            Problem p = t == null ? null : walk(e.getValue(), t, join(path, e.getKey()));
            if (p != null) {
                return p;
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

    private static boolean fits(JsonNumber n, Class<?> raw) {
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
