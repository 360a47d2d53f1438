package dev.wsrv.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every setting of wsrv, with defaults; the only place settings are read.
 *
 * <p>{@link #fromEnvironment()} reads each key from MicroProfile Config when the server has it, then from a
 * system property, then from an environment variable (the key upper-cased, camel humps and dots turned into
 * underscores: {@code wsrv.idleTimeoutMs} is {@code WSRV_IDLE_TIMEOUT_MS}).
 *
 * @param path the endpoint path, {@code /ws} by default ({@code wsrv.path})
 * @param idleTimeout how long a silent session lives, 30 s by default ({@code wsrv.idleTimeoutMs})
 * @param maxMessageSize the largest inbound message in bytes, 64 KiB by default; larger ones close the session
 *     with 1009 ({@code wsrv.maxMessageSize})
 * @param pushFrameType the frame type of pushes, TEXT by default ({@code wsrv.pushFrameType})
 * @param sendQueueMaxMessages how many outbound messages may wait for one session before it is closed as a
 *     slow consumer, 1024 by default ({@code wsrv.sendQueue.maxMessages})
 * @param sendQueueMaxBytes how many outbound bytes may wait for one session, 4 MiB by default
 *     ({@code wsrv.sendQueue.maxBytes})
 */
public record WsrvConfig(String path, Duration idleTimeout, int maxMessageSize, FrameType pushFrameType,
                         int sendQueueMaxMessages, long sendQueueMaxBytes) {

    /** The frame type of a message. */
    public enum FrameType { TEXT, BINARY }

    /** The settings with every default. */
    public static final WsrvConfig DEFAULTS =
            new WsrvConfig("/ws", Duration.ofSeconds(30), 64 * 1024, FrameType.TEXT, 1024, 4L * 1024 * 1024);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public WsrvConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pushFrameType, "pushFrameType");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("wsrv.path must start with '/': " + path);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("wsrv.idleTimeoutMs must not be negative");
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("wsrv.maxMessageSize must be positive");
        }
        if (sendQueueMaxMessages < 1 || sendQueueMaxBytes < 1) {
            throw new IllegalArgumentException("wsrv.sendQueue bounds must be positive");
        }
    }

    /**
     * Returns these settings with another endpoint path.
     *
     * @param newPath the path, starting with {@code /}
     * @return the changed copy
     */
    public WsrvConfig withPath(String newPath) {
        return new WsrvConfig(newPath, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes);
    }

    /**
     * Returns these settings with another idle timeout.
     *
     * @param timeout the idle timeout; zero for none
     * @return the changed copy
     */
    public WsrvConfig withIdleTimeout(Duration timeout) {
        return new WsrvConfig(path, timeout, maxMessageSize, pushFrameType, sendQueueMaxMessages, sendQueueMaxBytes);
    }

    /**
     * Returns these settings with another push frame type.
     *
     * @param type the frame type of pushes
     * @return the changed copy
     */
    public WsrvConfig withPushFrameType(FrameType type) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, type, sendQueueMaxMessages, sendQueueMaxBytes);
    }

    /**
     * Returns these settings with other bounds of the outbound queue.
     *
     * @param maxMessages the bound in messages
     * @param maxBytes the bound in bytes
     * @return the changed copy
     */
    public WsrvConfig withSendQueue(int maxMessages, long maxBytes) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, maxMessages, maxBytes);
    }

    /**
     * Reads the settings from MicroProfile Config, system properties and environment variables.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be parsed
     */
    public static WsrvConfig fromEnvironment() {
        return from(WsrvConfig::lookup);
    }

    /**
     * Reads the settings through a lookup function, defaults where it returns {@code null}.
     *
     * @param lookup gives the value of a key, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException if a value cannot be parsed
     */
    public static WsrvConfig from(UnaryOperator<String> lookup) {
        WsrvConfig d = DEFAULTS;
        return new WsrvConfig(
                str(lookup, "wsrv.path", d.path),
                Duration.ofMillis(num(lookup, "wsrv.idleTimeoutMs", d.idleTimeout.toMillis())),
                (int) num(lookup, "wsrv.maxMessageSize", d.maxMessageSize),
                FrameType.valueOf(str(lookup, "wsrv.pushFrameType", d.pushFrameType.name()).toUpperCase(Locale.ROOT)),
                (int) num(lookup, "wsrv.sendQueue.maxMessages", d.sendQueueMaxMessages),
                num(lookup, "wsrv.sendQueue.maxBytes", d.sendQueueMaxBytes));
    }

    private static String str(UnaryOperator<String> lookup, String key, String dflt) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static long num(UnaryOperator<String> lookup, String key, long dflt) {
        String v = str(lookup, key, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
    }

    /**
     * Reads one setting the way every wsrv setting is read, for modules with settings of their own (such as
     * {@code wsrv.redis.uri}).
     *
     * @param key the key, for example {@code wsrv.redis.uri}
     * @return the value from MicroProfile Config, a system property or the environment, or {@code null}
     */
    public static String setting(String key) {
        String v = lookup(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String lookup(String key) {
        String v = MicroProfile.value(key);
        if (v == null) {
            v = System.getProperty(key);
        }
        if (v == null) {
            v = System.getenv(envName(key));
        }
        return v;
    }

    /**
     * Returns the environment variable name of a key.
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
