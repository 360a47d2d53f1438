package dev.wsrv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
 * @param limits the limits on connections, request rates and request data ({@code wsrv.limits.*})
 * @param allowedOrigins the browser origins allowed besides the server's own, such as
 *     {@code https://app.example.com}; {@code *} allows every origin; empty by default ({@code wsrv.origins},
 *     comma-separated)
 * @param trustedProxies the IP addresses of reverse proxies whose {@code X-Forwarded-For} header names the client,
 *     for the per-address limit and {@code Handshake.remoteAddress()}; empty by default, when the header is
 *     ignored because any client could forge it ({@code wsrv.trustedProxies}, comma-separated)
 * @param allowedHosts the host names a browser origin may have to count as the server's own, such as
 *     {@code chat.example.com}; empty by default, for the names of the address a connection comes in on (that
 *     address, and for loopback also {@code localhost}, {@code 127.0.0.1} and {@code ::1}); {@code *} for any
 *     host, which gives up the protection against DNS rebinding ({@code wsrv.allowedHosts}, comma-separated)
 * @param workers how many of wsrv's worker threads run requests, taking the sessions in turns; 4 per processor and
 *     at least 8 by default; 0 runs each request on the container's thread that read it, with no turns between
 *     sessions ({@code wsrv.workers})
 */
public record WsrvConfig(String path, Duration idleTimeout, int maxMessageSize, FrameType pushFrameType,
                         int sendQueueMaxMessages, long sendQueueMaxBytes, Limits limits,
                         List<String> allowedOrigins, List<String> trustedProxies, List<String> allowedHosts,
                         int workers) {

    /** The frame type of a message. */
    public enum FrameType { TEXT, BINARY }

    /** The settings with every default. */
    public static final WsrvConfig DEFAULTS = new WsrvConfig("/ws", Duration.ofSeconds(30), 64 * 1024,
            FrameType.TEXT, 1024, 4L * 1024 * 1024, Limits.DEFAULTS, List.of(), List.of(), List.of(),
            Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

    /**
     * The limits wsrv enforces against floods and hostile input. Zero turns a limit off.
     *
     * @param connections open sessions in total; one more is refused at the handshake with HTTP 503, 10,000 by
     *     default ({@code wsrv.limits.connections})
     * @param connectionsPerAddress open sessions per client IP address; one more is refused with HTTP 429,
     *     1,000 by default ({@code wsrv.limits.connectionsPerAddress})
     * @param requestsPerSecond the rate a session's token bucket refills at, 500 by default; a request without a
     *     token is answered 429 ({@code wsrv.limits.requestsPerSecond})
     * @param requestBurst the bucket's size: how many requests a session may send at once, 1,000 by default
     *     ({@code wsrv.limits.requestBurst})
     * @param violationsBeforeClose how many 429 answers within 10 seconds close the session with 1008, 100 by
     *     default ({@code wsrv.limits.violationsBeforeClose})
     * @param asyncInFlight how many asynchronous requests of one session may be unanswered at once; a request
     *     beyond it is answered 429, 64 by default ({@code wsrv.limits.asyncInFlight})
     * @param maxDepth how deeply arrays and objects may nest in {@code data}, 32 by default; deeper data is
     *     answered 400 ({@code wsrv.limits.maxDepth})
     * @param maxKeys how many object members {@code data} may have in all, 1,024 by default; more is answered
     *     400 ({@code wsrv.limits.maxKeys})
     * @param requestsPerSecondPerAddress the rate at which the token bucket shared by all sessions of one client
     *     address refills, 2,000 by default; a request without a token is answered 429 and counts as a refusal of
     *     its session ({@code wsrv.limits.requestsPerSecondPerAddress})
     * @param requestBurstPerAddress that bucket's size, 4,000 by default
     *     ({@code wsrv.limits.requestBurstPerAddress})
     */
    public record Limits(int connections, int connectionsPerAddress, int requestsPerSecond, int requestBurst,
                         int violationsBeforeClose, int asyncInFlight, int maxDepth, int maxKeys,
                         int requestsPerSecondPerAddress, int requestBurstPerAddress) {

        /** The documented defaults. */
        public static final Limits DEFAULTS = new Limits(10_000, 1_000, 500, 1_000, 100, 64, 32, 1_024, 2_000, 4_000);

        /** Every limit off: for benchmarks and trusted clients only. */
        public static final Limits NONE = new Limits(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a value is negative
         */
        public Limits {
            if (connections < 0 || connectionsPerAddress < 0 || requestsPerSecond < 0 || requestBurst < 0
                    || violationsBeforeClose < 0 || asyncInFlight < 0 || maxDepth < 0 || maxKeys < 0
                    || requestsPerSecondPerAddress < 0 || requestBurstPerAddress < 0) {
                throw new IllegalArgumentException("wsrv.limits.* must not be negative (0 turns a limit off)");
            }
        }

        /**
         * Returns these limits with other connection limits.
         *
         * @param total sessions in total, 0 for no limit
         * @param perAddress sessions per client address, 0 for no limit
         * @return the changed copy
         */
        public Limits withConnections(int total, int perAddress) {
            return new Limits(total, perAddress, requestsPerSecond, requestBurst, violationsBeforeClose,
                    asyncInFlight, maxDepth, maxKeys, requestsPerSecondPerAddress, requestBurstPerAddress);
        }

        /**
         * Returns these limits with another request rate.
         *
         * @param perSecond the refill rate, 0 for no limit
         * @param burst the bucket size
         * @param violations 429 answers within 10 s before the session is closed with 1008, 0 never to close
         * @return the changed copy
         */
        public Limits withRequestRate(int perSecond, int burst, int violations) {
            return new Limits(connections, connectionsPerAddress, perSecond, burst, violations, asyncInFlight,
                    maxDepth, maxKeys, requestsPerSecondPerAddress, requestBurstPerAddress);
        }

        /**
         * Returns these limits with another bound on unanswered asynchronous requests.
         *
         * @param inFlight the bound, 0 for no limit
         * @return the changed copy
         */
        public Limits withAsyncInFlight(int inFlight) {
            return new Limits(connections, connectionsPerAddress, requestsPerSecond, requestBurst,
                    violationsBeforeClose, inFlight, maxDepth, maxKeys, requestsPerSecondPerAddress,
                    requestBurstPerAddress);
        }

        /**
         * Returns these limits with other bounds on the shape of {@code data}.
         *
         * @param depth the nesting bound, 0 for no limit beyond the JSON parser's own
         * @param keys the bound on object members, 0 for no limit
         * @return the changed copy
         */
        public Limits withData(int depth, int keys) {
            return new Limits(connections, connectionsPerAddress, requestsPerSecond, requestBurst,
                    violationsBeforeClose, asyncInFlight, depth, keys, requestsPerSecondPerAddress,
                    requestBurstPerAddress);
        }

        /**
         * Returns these limits with another request budget per client address.
         *
         * @param perSecond the refill rate of each address's bucket, 0 for no limit
         * @param burst its size
         * @return the changed copy
         */
        public Limits withAddressRate(int perSecond, int burst) {
            return new Limits(connections, connectionsPerAddress, requestsPerSecond, requestBurst,
                    violationsBeforeClose, asyncInFlight, maxDepth, maxKeys, perSecond, burst);
        }
    }

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
        Objects.requireNonNull(limits, "limits");
        if (workers < 0) {
            throw new IllegalArgumentException("wsrv.workers must not be negative (0 runs requests on the container's"
                    + " threads)");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /**
     * Returns these settings with another endpoint path.
     *
     * @param newPath the path, starting with {@code /}
     * @return the changed copy
     */
    public WsrvConfig withPath(String newPath) {
        return new WsrvConfig(newPath, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, limits, allowedOrigins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with another idle timeout.
     *
     * @param timeout the idle timeout; zero for none
     * @return the changed copy
     */
    public WsrvConfig withIdleTimeout(Duration timeout) {
        return new WsrvConfig(path, timeout, maxMessageSize, pushFrameType, sendQueueMaxMessages, sendQueueMaxBytes,
                limits, allowedOrigins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with another push frame type.
     *
     * @param type the frame type of pushes
     * @return the changed copy
     */
    public WsrvConfig withPushFrameType(FrameType type) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, type, sendQueueMaxMessages, sendQueueMaxBytes,
                limits, allowedOrigins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with other bounds of the outbound queue.
     *
     * @param maxMessages the bound in messages
     * @param maxBytes the bound in bytes
     * @return the changed copy
     */
    public WsrvConfig withSendQueue(int maxMessages, long maxBytes) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, maxMessages, maxBytes, limits,
                allowedOrigins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with other limits.
     *
     * @param newLimits the limits
     * @return the changed copy
     */
    public WsrvConfig withLimits(Limits newLimits) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, newLimits, allowedOrigins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with other allowed origins.
     *
     * @param origins origins such as {@code https://app.example.com}, or {@code *}
     * @return the changed copy
     */
    public WsrvConfig withAllowedOrigins(List<String> origins) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, limits, origins, trustedProxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with other trusted proxies.
     *
     * @param proxies the IP addresses of reverse proxies whose {@code X-Forwarded-For} is believed
     * @return the changed copy
     */
    public WsrvConfig withTrustedProxies(List<String> proxies) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, limits, allowedOrigins, proxies, allowedHosts, workers);
    }

    /**
     * Returns these settings with other allowed hosts.
     *
     * @param hosts host names such as {@code chat.example.com}, or {@code *}; empty for the local address's names
     * @return the changed copy
     */
    public WsrvConfig withAllowedHosts(List<String> hosts) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, limits, allowedOrigins, trustedProxies, hosts, workers);
    }

    /**
     * Returns these settings with another number of worker threads.
     *
     * @param threads the threads, 0 to run requests on the container's threads
     * @return the changed copy
     */
    public WsrvConfig withWorkers(int threads) {
        return new WsrvConfig(path, idleTimeout, maxMessageSize, pushFrameType, sendQueueMaxMessages,
                sendQueueMaxBytes, limits, allowedOrigins, trustedProxies, allowedHosts, threads);
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
                num(lookup, "wsrv.sendQueue.maxBytes", d.sendQueueMaxBytes),
                limits(lookup, d.limits),
                list(lookup, "wsrv.origins", d.allowedOrigins),
                list(lookup, "wsrv.trustedProxies", d.trustedProxies),
                list(lookup, "wsrv.allowedHosts", d.allowedHosts),
                (int) num(lookup, "wsrv.workers", d.workers));
    }

    private static Limits limits(UnaryOperator<String> lookup, Limits d) {
        return new Limits(
                (int) num(lookup, "wsrv.limits.connections", d.connections()),
                (int) num(lookup, "wsrv.limits.connectionsPerAddress", d.connectionsPerAddress()),
                (int) num(lookup, "wsrv.limits.requestsPerSecond", d.requestsPerSecond()),
                (int) num(lookup, "wsrv.limits.requestBurst", d.requestBurst()),
                (int) num(lookup, "wsrv.limits.violationsBeforeClose", d.violationsBeforeClose()),
                (int) num(lookup, "wsrv.limits.asyncInFlight", d.asyncInFlight()),
                (int) num(lookup, "wsrv.limits.maxDepth", d.maxDepth()),
                (int) num(lookup, "wsrv.limits.maxKeys", d.maxKeys()),
                (int) num(lookup, "wsrv.limits.requestsPerSecondPerAddress", d.requestsPerSecondPerAddress()),
                (int) num(lookup, "wsrv.limits.requestBurstPerAddress", d.requestBurstPerAddress()));
    }

    private static List<String> list(UnaryOperator<String> lookup, String key, List<String> dflt) {
        String v = str(lookup, key, null);
        if (v == null) {
            return dflt;
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
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
