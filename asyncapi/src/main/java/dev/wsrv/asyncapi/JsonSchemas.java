package dev.wsrv.asyncapi;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the JSON Schema of a Java type as wsrv binds it ({@code README.md}, "What binds to what") and JSON-B writes
 * it. Records, enums and other classes become named schemas, collected by this instance and referred to with
 * {@code $ref} into {@code #/components/schemas/}; everything else is written inline. Bean Validation constraints on
 * properties become schema keywords ({@link Constraints}). Not thread-safe: one instance per document.
 */
final class JsonSchemas {

    static final String REF_PREFIX = "#/components/schemas/";

    private final Map<Class<?>, String> names = new LinkedHashMap<>();
    private final Map<String, JsonObject> schemas = new LinkedHashMap<>();

    /**
     * Returns the schema of a type, adding the named schemas it needs.
     *
     * @param type the type, or {@code null} for anything
     * @return the schema; {@code {}} for a type that accepts any JSON value
     */
    JsonObject schema(Type type) {
        return builder(type).build();
    }

    /**
     * Returns the named schemas collected so far, in the order they were first needed.
     *
     * @return name to schema
     */
    Map<String, JsonObject> named() {
        return new LinkedHashMap<>(schemas);
    }

    private JsonObjectBuilder builder(Type type) {
        if (type instanceof ParameterizedType p) {
            return parameterized((Class<?>) p.getRawType(), p.getActualTypeArguments());
        }
        if (type instanceof GenericArrayType a) {
            return array(a.getGenericComponentType(), false);
        }
        if (type instanceof WildcardType w) {
            return builder(w.getUpperBounds()[0]);
        }
        if (type instanceof Class<?> c) {
            return plain(c);
        }
        // a type variable or nothing at all: any JSON value
        return Json.createObjectBuilder();
    }

    private JsonObjectBuilder parameterized(Class<?> raw, Type[] args) {
        if (Collection.class.isAssignableFrom(raw)) {
            return array(args[0], Set.class.isAssignableFrom(raw));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Json.createObjectBuilder().add("type", "object").add("additionalProperties", schema(args[1]));
        }
        if (raw == Optional.class) {
            return builder(args[0]);
        }
        return plain(raw);
    }

    private JsonObjectBuilder array(Type items, boolean unique) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("type", "array").add("items", schema(items));
        return unique ? b.add("uniqueItems", true) : b;
    }

    private JsonObjectBuilder plain(Class<?> c) {
        JsonObjectBuilder known = Scalars.of(c);
        if (known != null) {
            return known;
        }
        if (c.isArray()) {
            return array(c.getComponentType(), false);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return array(null, Set.class.isAssignableFrom(c));
        }
        if (Map.class.isAssignableFrom(c)) {
            return Json.createObjectBuilder().add("type", "object");
        }
        if (c == Object.class || c.isInterface() || c == Optional.class || c.getName().startsWith("java.")) {
            return Json.createObjectBuilder();
        }
        return Json.createObjectBuilder().add("$ref", REF_PREFIX + named(c));
    }

    private String named(Class<?> c) {
        String name = names.get(c);
        if (name != null) {
            return name;
        }
        name = uniqueName(c);
        names.put(c, name);
        // reserved first, so that a type that refers to itself finds its name
        schemas.put(name, JsonValue.EMPTY_JSON_OBJECT);
        schemas.put(name, c.isEnum() ? enumSchema(c) : objectSchema(c));
        return name;
    }

    private String uniqueName(Class<?> c) {
        String base = c.getName().substring(c.getName().lastIndexOf('.') + 1).replace('$', '.');
        String name = base;
        for (int i = 2; schemas.containsKey(name); i++) {
            name = base + i;
        }
        return name;
    }

    private static JsonObject enumSchema(Class<?> c) {
        JsonArrayBuilder values = Json.createArrayBuilder();
        for (Object constant : c.getEnumConstants()) {
            values.add(((Enum<?>) constant).name());
        }
        return Json.createObjectBuilder().add("type", "string").add("enum", values).build();
    }

    private JsonObject objectSchema(Class<?> c) {
        JsonObjectBuilder properties = Json.createObjectBuilder();
        JsonArrayBuilder required = Json.createArrayBuilder();
        for (Property p : properties(c)) {
            JsonObjectBuilder schema = builder(p.type());
            if (Constraints.apply(p.annotated(), rawClass(p.type()), schema)) {
                required.add(p.name());
            }
            properties.add(p.name(), schema);
        }
        JsonObjectBuilder b = Json.createObjectBuilder().add("type", "object").add("properties", properties);
        JsonArray req = required.build();
        return (req.isEmpty() ? b : b.add("required", req)).build();
    }

    private record Property(String name, Type type, AnnotatedElement annotated) {
    }

    /** JSON-B's properties: a record's components; else public fields and getters (or setters), in that order. */
    private static Iterable<Property> properties(Class<?> c) {
        Map<String, Property> found = new LinkedHashMap<>();
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                Field field = field(c, rc.getName());
                add(found, rc.getName(), rc.getGenericType(), field != null ? field : rc.getAccessor());
            }
            return found.values();
        }
        for (Field f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
                add(found, f.getName(), f.getGenericType(), f);
            }
        }
        for (Method m : c.getMethods()) {
            String name = beanProperty(m);
            if (name != null && !found.containsKey(name)) {
                Field field = field(c, name);
                Type type = m.getParameterCount() == 0 ? m.getGenericReturnType() : m.getGenericParameterTypes()[0];
                add(found, name, type, field != null ? field : m);
            }
        }
        return found.values();
    }

    private static void add(Map<String, Property> found, String name, Type type, AnnotatedElement annotated) {
        if (Annotations.named(annotated, "jakarta.json.bind.annotation.JsonbTransient") != null) {
            return;
        }
        Object renamed = Annotations.value(Annotations.named(annotated, "jakarta.json.bind.annotation.JsonbProperty"),
                "value");
        String json = renamed instanceof String s && !s.isEmpty() ? s : name;
        found.putIfAbsent(json, new Property(json, type, annotated));
    }

    private static String beanProperty(Method m) {
        if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
            return null;
        }
        String n = m.getName();
        if (m.getParameterCount() == 0 && n.startsWith("get") && n.length() > 3 && m.getReturnType() != void.class) {
            return decapitalize(n.substring(3));
        }
        if (m.getParameterCount() == 0 && n.startsWith("is") && n.length() > 2
                && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
            return decapitalize(n.substring(2));
        }
        if (m.getParameterCount() == 1 && n.startsWith("set") && n.length() > 3) {
            return decapitalize(n.substring(3));
        }
        return null;
    }

    private static String decapitalize(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static Field field(Class<?> c, String name) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            try {
                return k.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // a getter without a field of its name, or a field of a superclass
            }
        }
        return null;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            return raw == Optional.class ? rawClass(p.getActualTypeArguments()[0]) : raw;
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(rawClass(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    /** The types that bind from one JSON scalar, or from a JSON value of any kind. */
    private static final class Scalars {

        private Scalars() {
        }

        static JsonObjectBuilder of(Class<?> c) {
            if (c == String.class || c == CharSequence.class) {
                return type("string");
            }
            if (c == char.class || c == Character.class) {
                return type("string").add("minLength", 1).add("maxLength", 1);
            }
            if (c == boolean.class || c == Boolean.class) {
                return type("boolean");
            }
            if (c == int.class || c == Integer.class) {
                return type("integer").add("format", "int32");
            }
            if (c == long.class || c == Long.class) {
                return type("integer").add("format", "int64");
            }
            if (c == short.class || c == Short.class) {
                return type("integer").add("minimum", Short.MIN_VALUE).add("maximum", Short.MAX_VALUE);
            }
            if (c == byte.class || c == Byte.class) {
                return type("integer").add("minimum", Byte.MIN_VALUE).add("maximum", Byte.MAX_VALUE);
            }
            if (c == BigInteger.class) {
                return type("integer");
            }
            if (c == double.class || c == Double.class) {
                return type("number").add("format", "double");
            }
            if (c == float.class || c == Float.class) {
                return type("number").add("format", "float");
            }
            if (c == BigDecimal.class || c == Number.class) {
                return type("number");
            }
            if (c == java.util.UUID.class) {
                return type("string").add("format", "uuid");
            }
            if (c == java.time.LocalDate.class) {
                return type("string").add("format", "date");
            }
            if (c == java.time.Instant.class || c == java.time.OffsetDateTime.class
                    || c == java.time.ZonedDateTime.class) {
                return type("string").add("format", "date-time");
            }
            if (c == java.time.Duration.class) {
                return type("string").add("format", "duration");
            }
            if (c.getPackageName().equals("java.time")) {
                return type("string");
            }
            if (c == jakarta.json.JsonObject.class) {
                return type("object");
            }
            if (c == jakarta.json.JsonArray.class) {
                return type("array");
            }
            if (c == jakarta.json.JsonString.class) {
                return type("string");
            }
            if (c == jakarta.json.JsonNumber.class) {
                return type("number");
            }
            if (JsonValue.class.isAssignableFrom(c)) {
                return Json.createObjectBuilder();
            }
            return null;
        }

        private static JsonObjectBuilder type(String type) {
            return Json.createObjectBuilder().add("type", type);
        }
    }
}
