package dev.wsrv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Reads, changes and describes records of settings whose components are declared with {@link Setting} (or are
 * themselves such records, as {@link WsrvConfig.Limits} is within {@link WsrvConfig}). Every setting of wsrv is read
 * here, for every deployment: from MicroProfile Config when the server has it, then from a system property, then from
 * an environment variable ({@link #envName}). Stateless and thread-safe.
 */
public final class Settings {

    private Settings() {
    }

    /**
     * One declared setting, as the README's table shows it.
     *
     * @param key the key, such as {@code wsrv.idleTimeoutMs}
     * @param env its environment variable, such as {@code WSRV_IDLE_TIMEOUT_MS}
     * @param type the component's type
     * @param defaultValue the default as text; empty for an empty list
     * @param description what it does
     */
    public record Declaration(String key, String env, Class<?> type, String defaultValue, String description) {
    }

    /**
     * Reads a settings record from the environment: MicroProfile Config, system properties, environment variables.
     *
     * @param type the record type
     * @param <R> the record type
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be read or is out of range
     */
    public static <R extends Record> R fromEnvironment(Class<R> type) {
        return read(type, Settings::lookup);
    }

    /**
     * Reads a settings record through a lookup function.
     *
     * @param type the record type
     * @param lookup gives the value of a key, or {@code null} (or blank) for the default
     * @param <R> the record type
     * @return the settings
     * @throws IllegalArgumentException if a value cannot be read or is out of range
     */
    public static <R extends Record> R read(Class<R> type, UnaryOperator<String> lookup) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Setting s = declaration(c);
            if (s == null) {
                values[i] = read(c.getType().asSubclass(Record.class), lookup);
            } else {
                String v = lookup.apply(s.key());
                values[i] = parse(c.getType(), s.key(), v == null || v.isBlank() ? s.defaultValue() : v.trim());
            }
        }
        return construct(type, values);
    }

    /**
     * Returns a settings record with every default.
     *
     * @param type the record type
     * @param <R> the record type
     * @return the defaults
     */
    public static <R extends Record> R defaults(Class<R> type) {
        return read(type, key -> null);
    }

    /**
     * Returns a settings record with every number and duration zero, which turns each such bound off, and the other
     * settings at their defaults.
     *
     * @param type the record type
     * @param <R> the record type
     * @return the settings
     */
    public static <R extends Record> R off(Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Setting s = declaration(c);
            Class<?> t = c.getType();
            values[i] = s == null ? off(t.asSubclass(Record.class))
                    : t == int.class || t == long.class || t == Duration.class ? parse(t, s.key(), "0")
                    : parse(t, s.key(), s.defaultValue());
        }
        return construct(type, values);
    }

    /**
     * Returns a copy of a settings record with one setting changed, at any depth.
     *
     * @param settings the settings
     * @param key the setting's key, such as {@code wsrv.limits.requestBurst}
     * @param value the new value: of the component's type (an {@code Integer} also for a {@code long}, a number of
     *     milliseconds also for a {@code Duration}), or its text
     * @param <R> the record type
     * @return the changed copy
     * @throws IllegalArgumentException if the record has no such setting, or the value does not fit it
     */
    public static <R extends Record> R with(R settings, String key, Object value) {
        R changed = replace(settings, key, value);
        if (changed == null) {
            throw new IllegalArgumentException("no setting " + key + " in " + settings.getClass().getSimpleName());
        }
        return changed;
    }

    /**
     * Returns a copy of a settings record with one of its nested records replaced, such as the limits of a
     * {@link WsrvConfig}.
     *
     * @param settings the settings
     * @param part the new nested record
     * @param <R> the record type
     * @return the changed copy
     * @throws IllegalArgumentException if the record has no component of the part's type
     */
    public static <R extends Record> R with(R settings, Record part) {
        R changed = rebuild(settings, (c, v) -> c.getType() == part.getClass() ? part : null);
        if (changed == null) {
            throw new IllegalArgumentException(settings.getClass().getSimpleName() + " has no "
                    + part.getClass().getSimpleName());
        }
        return changed;
    }

    private static <R extends Record> R replace(R settings, String key, Object value) {
        return rebuild(settings, (c, v) -> {
            Setting s = declaration(c);
            if (s == null) {
                return replace((Record) v, key, value);
            }
            return s.key().equals(key) ? convert(c.getType(), key, value) : null;
        });
    }

    /**
     * Copies a record with the first component that {@code change} gives a new value (non-null) changed.
     *
     * @return the copy, or {@code null} when no component changed
     */
    private static <R extends Record> R rebuild(R settings, BiFunction<RecordComponent, Object, Object> change) {
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) settings.getClass();
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            values[i] = get(components[i], settings);
            Object changed = found ? null : change.apply(components[i], values[i]);
            if (changed != null) {
                values[i] = changed;
                found = true;
            }
        }
        return found ? construct(type, values) : null;
    }

    /**
     * Lists the settings a record declares, nested records in their place.
     *
     * @param type the record type
     * @return the declarations, in the order of the components
     */
    public static List<Declaration> declarations(Class<? extends Record> type) {
        List<Declaration> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Setting s = declaration(c);
            if (s == null) {
                out.addAll(declarations(c.getType().asSubclass(Record.class)));
            } else {
                out.add(new Declaration(s.key(), envName(s.key()), c.getType(), s.defaultValue(), s.description()));
            }
        }
        return out;
    }

    /**
     * Writes the README's table of the settings that records declare.
     *
     * @param types the record types, in the order of the table
     * @return the Markdown table, one line per setting after the head, each line ending in a newline
     */
    @SafeVarargs
    public static String markdownTable(Class<? extends Record>... types) {
        StringBuilder b = new StringBuilder("| key | env | default | |\n|---|---|---|---|\n");
        for (Class<? extends Record> type : types) {
            for (Declaration d : declarations(type)) {
                b.append("| `").append(d.key()).append("` | `").append(d.env()).append("` | ")
                        .append(d.defaultValue().isEmpty() ? "(none)" : "`" + d.defaultValue() + "`").append(" | ")
                        .append(d.description()).append(" |\n");
            }
        }
        return b.toString();
    }

    /**
     * Reads one setting the way every wsrv setting is read, for a key that no settings record declares.
     *
     * @param key the key, for example {@code wsrv.redis.uri}
     * @return the trimmed value from MicroProfile Config, a system property or the environment, or {@code null}
     *     when none is set or it is blank
     */
    public static String lookup(String key) {
        String v = MicroProfile.value(key);
        if (v == null) {
            v = System.getProperty(key);
        }
        if (v == null) {
            v = System.getenv(envName(key));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * Returns the environment variable name of a key: upper case, with dots and camel humps as underscores.
     *
     * @param key a key such as {@code wsrv.idleTimeoutMs}
     * @return the variable name, such as {@code WSRV_IDLE_TIMEOUT_MS}
     */
    public static String envName(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.') {
                b.append('_');
            } else if (Character.isUpperCase(c)) {
                b.append('_').append(c);
            } else {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString();
    }

    private static Setting declaration(RecordComponent c) {
        Setting s = c.getAnnotation(Setting.class);
        if (s == null && !c.getType().isRecord()) {
            throw new IllegalStateException(c.getDeclaringRecord().getName() + "." + c.getName()
                    + " is neither a @Setting nor a record of settings");
        }
        return s;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <R extends Record> R construct(Class<R> type, Object[] values) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                // the record's own check of its values, such as a negative limit
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(Class<?> type, String key, Object value) {
        if (value instanceof String text && type != String.class) {
            return parse(type, key, text.trim());
        }
        if (type == long.class && value instanceof Integer i) {
            return i.longValue();
        }
        if (type == Duration.class && (value instanceof Integer || value instanceof Long)) {
            return Duration.ofMillis(((Number) value).longValue());
        }
        if (type == int.class && value instanceof Integer
                || type == boolean.class && value instanceof Boolean
                || type == long.class && value instanceof Long
                || type == List.class && value instanceof List<?>
                || !type.isPrimitive() && type.isInstance(value)) {
            return value;
        }
        throw new IllegalArgumentException(key + " takes " + type.getSimpleName() + ", not " + value);
    }

    private static Object parse(Class<?> type, String key, String v) {
        if (type == String.class) {
            return v;
        }
        if (type == List.class) {
            return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
        if (type == boolean.class) {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException(key + " is not true or false: " + v);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(v)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(key + " is not one of " + Arrays.toString(type.getEnumConstants())
                    + ": " + v);
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
        if (type == long.class) {
            return n;
        }
        if (type == Duration.class) {
            return Duration.ofMillis(n);
        }
        if (type == int.class) {
            if (n != (int) n) {
                throw new IllegalArgumentException(key + " is out of range: " + v);
            }
            return (int) n;
        }
        throw new IllegalStateException(key + ": settings of type " + type.getName() + " are not supported");
    }

    /** MicroProfile Config through reflection, so that servers without it need nothing. */
    private static final class MicroProfile {
        private static final MethodHandle GET_OPTIONAL_VALUE = find();

        private static MethodHandle find() {
            try {
                Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider");
                Class<?> config = Class.forName("org.eclipse.microprofile.config.Config");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle getConfig = lookup.findStatic(provider, "getConfig", MethodType.methodType(config));
                MethodHandle getOptionalValue = lookup.findVirtual(config, "getOptionalValue",
                        MethodType.methodType(Optional.class, String.class, Class.class));
                // (String, Class) -> ConfigProvider.getConfig().getOptionalValue(key, type)
                return MethodHandles.foldArguments(getOptionalValue, getConfig);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        static String value(String key) {
            if (GET_OPTIONAL_VALUE == null) {
                return null;
            }
            try {
                Optional<?> v = (Optional<?>) GET_OPTIONAL_VALUE.invoke(key, String.class);
                return v.map(Object::toString).orElse(null);
            } catch (Throwable e) {
                // no config for this application, or a value that does not convert: fall back to properties
                return null;
            }
        }
    }
}
