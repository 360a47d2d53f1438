package dev.wsrv;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Every setting of the wsrv server, with defaults. Each component declares its setting once, with {@link Setting}:
 * key, default and description; {@link Settings} reads them all (MicroProfile Config, then a system property, then an
 * environment variable: {@code wsrv.idleTimeoutMs} is {@code WSRV_IDLE_TIMEOUT_MS}), and the README's table of
 * settings is generated from the declarations (a test keeps it so).
 *
 * <p>To add a setting, add one component with its {@code @Setting} here (or in {@link Limits}, or in the record of
 * its module, such as the embedded server's {@code TransportConfig}), check its range in the compact constructor if
 * it has one, and paste the table the README test prints. Nothing else lists the settings. Changed copies come from
 * {@link #with(String, Object)}.
 *
 * <p>The embedded server takes it with {@code EmbeddedServer.builder().config(...)}; in a WAR the settings are read
 * from the environment. Immutable and thread-safe.
 *
 * @param path the endpoint path
 * @param idleTimeout how long a silent session lives
 * @param idleSweeper whether wsrv closes idle sessions itself, ahead of the container's timer
 * @param maxMessageSize the largest inbound message in bytes
 * @param pushFrameType the frame type of pushes
 * @param sendQueueMaxMessages outbound messages that may wait for one session
 * @param sendQueueMaxBytes outbound bytes that may wait for one session
 * @param limits the limits on connections, request rates and request data
 * @param allowedOrigins the browser origins allowed besides the server's own
 * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} header names the client
 * @param allowedHosts the host names of the server's own origin
 * @param openGrace how long a session may take to open after its upgrade was admitted
 * @param workers the worker threads that run requests
 * @param threadFactory the JNDI name of the container's thread factory that makes wsrv's threads; {@code none} (or
 *     empty) for threads of wsrv's own
 * @param resume the recovery window and buffer bounds of resumable sessions
 * @param execution where handlers without a declared execution mode run
 * @param blockedIoWarn how long a non-blocking handler may hold the thread that read its frame before a warning
 * @param slowHandlerWarn how long a handler of any mode may run, wherever it runs, before a warning; zero for never
 */
public record WsrvConfig(
        @Setting(key = "wsrv.path", defaultValue = "/ws", description = "endpoint path")
        String path,
        @Setting(key = "wsrv.idleTimeoutMs", defaultValue = "30000", description = "idle timeout: a session that"
                + " sends nothing for so long is closed with 1000 `idle timeout`, a little before (see"
                + " [Heartbeat and idle timeout](docs/protocol.md#heartbeat-and-idle-timeout)); each session reports it"
                + " from `getMaxIdleTimeout()`; 0 for none")
        Duration idleTimeout,
        @Setting(key = "wsrv.idleSweeper", defaultValue = "ON", description = "`OFF` stops wsrv's own idle close and"
                + " leaves it to the container's timer, with the container's close code; only to test that backstop")
        Switch idleSweeper,
        @Setting(key = "wsrv.maxMessageSize", defaultValue = "65536",
                description = "larger messages close the session with 1009")
        int maxMessageSize,
        @Setting(key = "wsrv.pushFrameType", defaultValue = "TEXT", description = "`TEXT` or `BINARY` for pushes")
        FrameType pushFrameType,
        @Setting(key = "wsrv.sendQueue.maxMessages", defaultValue = "1024", description = "slow-consumer bound")
        int sendQueueMaxMessages,
        @Setting(key = "wsrv.sendQueue.maxBytes", defaultValue = "4194304", description = "slow-consumer bound")
        long sendQueueMaxBytes,
        Limits limits,
        @Setting(key = "wsrv.origins", defaultValue = "",
                description = "browser origins allowed besides the server's own, comma-separated; `*` for all")
        List<String> allowedOrigins,
        @Setting(key = "wsrv.trustedProxies", defaultValue = "", description = "proxy IPs whose `X-Forwarded-For`"
                + " names the client, comma-separated; none: the header is ignored, since any client could forge it")
        List<String> trustedProxies,
        @Setting(key = "wsrv.allowedHosts", defaultValue = "", description = "host names of the server's own origin,"
                + " such as `chat.example.com`, comma-separated; none: the names of the address a connection comes in"
                + " on (for loopback also `localhost`); `*` for any, which gives up the protection against DNS"
                + " rebinding")
        List<String> allowedHosts,
        @Setting(key = "wsrv.handshake.openGraceMs", defaultValue = "30000", description = "how long a session may"
                + " take to open after its upgrade was admitted; a later one is closed with 1008 `not admitted` and an"
                + " upgrade whose session never opens gives its connection slot back; at least 1")
        Duration openGrace,
        @Setting(key = "wsrv.workers", defaultValue = "-1", description = "worker threads that run requests,"
                + " sessions taking turns; -1 for 4 per processor and at least 8; 0 runs them on the container's"
                + " threads")
        int workers,
        @Setting(key = "wsrv.workers.threadFactory", defaultValue = "java:comp/DefaultManagedThreadFactory",
                description = "JNDI name of the managed thread factory that makes wsrv's threads (workers, idle"
                + " sweeper) in a WAR, such as an application's `@ManagedThreadFactoryDefinition(name = \"java:app/...\","
                + " virtual = true)`; `none`, or a name that does not resolve (one WARN), for threads of wsrv's own;"
                + " the embedded server has no JNDI and always uses its own")
        String threadFactory,
        Resume resume,
        @Setting(key = "wsrv.execution", defaultValue = "BLOCKING", description = "where a handler without a declared"
                + " mode runs: `BLOCKING` (wsrv's workers), `NON_BLOCKING` (the thread that read the frame) or"
                + " `VIRTUAL_THREAD` (Java 21+; else blocking); see [Where a handler runs](#where-a-handler-runs)")
        Execution execution,
        @Setting(key = "wsrv.blockedIoWarnMs", defaultValue = "2000", description = "a non-blocking handler that holds"
                + " the thread that read its frame longer is logged at WARN, once per command; 0 for never")
        Duration blockedIoWarn,
        @Setting(key = "wsrv.slowHandlerWarnMs", defaultValue = "60000", description = "a handler of any mode"
                + " (non-blocking, blocking, virtual thread) that runs longer, holding its session's next requests, is"
                + " logged at WARN with its session, thread and stack, once per command; 0 for never")
        Duration slowHandlerWarn) {

    /** A setting that is on or off. */
    public enum Switch {
        /** On. */
        ON,
        /** Off. */
        OFF
    }

    /** The frame type of a message. */
    public enum FrameType {
        /** A text frame. */
        TEXT,
        /** A binary frame. */
        BINARY
    }

    /** The settings with every default. */
    public static final WsrvConfig DEFAULTS = Settings.defaults(WsrvConfig.class);

    /**
     * The limits wsrv enforces against floods and hostile input. Zero turns a limit off. Immutable.
     *
     * @param connections open sessions in total
     * @param connectionsPerAddress open sessions per client IP address
     * @param requestsPerSecond the rate a session's token bucket refills at
     * @param requestBurst the size of a session's token bucket
     * @param violationsBeforeClose 429 answers within 10 s that close the session
     * @param asyncInFlight unanswered asynchronous requests of one session
     * @param maxDepth the nesting of {@code data}
     * @param maxKeys the object members of {@code data} in all
     * @param requestsPerSecondPerAddress the rate the bucket of one client address refills at
     * @param requestBurstPerAddress the size of that bucket
     */
    public record Limits(
            @Setting(key = "wsrv.limits.connections", defaultValue = "10000",
                    description = "open sessions; beyond: HTTP 503")
            int connections,
            @Setting(key = "wsrv.limits.connectionsPerAddress", defaultValue = "1000",
                    description = "per client IP; beyond: HTTP 429")
            int connectionsPerAddress,
            @Setting(key = "wsrv.limits.requestsPerSecond", defaultValue = "500",
                    description = "token bucket refill per session; beyond: 429 reply")
            int requestsPerSecond,
            @Setting(key = "wsrv.limits.requestBurst", defaultValue = "1000", description = "token bucket size")
            int requestBurst,
            @Setting(key = "wsrv.limits.violationsBeforeClose", defaultValue = "100",
                    description = "429s within 10 s before close 1008")
            int violationsBeforeClose,
            @Setting(key = "wsrv.limits.asyncInFlight", defaultValue = "64",
                    description = "unanswered async requests per session; beyond: 429")
            int asyncInFlight,
            @Setting(key = "wsrv.limits.maxDepth", defaultValue = "32", description = "nesting of `data`; deeper: 400")
            int maxDepth,
            @Setting(key = "wsrv.limits.maxKeys", defaultValue = "1024",
                    description = "object members in `data`; more: 400")
            int maxKeys,
            @Setting(key = "wsrv.limits.requestsPerSecondPerAddress", defaultValue = "2000",
                    description = "token bucket refill shared by all sessions of one client IP; beyond: 429 reply")
            int requestsPerSecondPerAddress,
            @Setting(key = "wsrv.limits.requestBurstPerAddress", defaultValue = "4000",
                    description = "that bucket's size")
            int requestBurstPerAddress) {

        /** The documented defaults. */
        public static final Limits DEFAULTS = Settings.defaults(Limits.class);

        /** Every limit off: for benchmarks and trusted clients only. */
        public static final Limits NONE = Settings.off(Limits.class);

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
         * Returns these limits with one changed.
         *
         * @param key the limit's key, such as {@code wsrv.limits.requestBurst}
         * @param value the new value, a number or its text
         * @return the changed copy
         * @throws IllegalArgumentException if there is no such limit or the value does not fit it
         */
        public Limits with(String key, Object value) {
            return Settings.with(this, key, value);
        }
    }

    /**
     * How long a resumable session waits for its client after its connection dropped, and how much it may keep for
     * it meanwhile (docs/protocol.md#resumable-sessions). Immutable.
     *
     * @param window how long a detached session can be resumed; zero turns resumption off
     * @param maxMessages pushes kept per session
     * @param maxBytes bytes of pushes kept per session, 2 per character
     * @param totalBytes bytes kept by all resumable sessions of the node
     */
    public record Resume(
            @Setting(key = "wsrv.resume.windowMs", defaultValue = "120000", description = "how long a detached"
                    + " [resumable session](#reconnect-without-losing-pushes) can be resumed; 0 turns resumption off")
            Duration window,
            @Setting(key = "wsrv.resume.maxMessages", defaultValue = "1000", description = "pushes kept per"
                    + " resumable session; keep it below `wsrv.sendQueue.maxMessages`, which a replay goes through")
            int maxMessages,
            @Setting(key = "wsrv.resume.maxBytes", defaultValue = "1048576",
                    description = "bytes of pushes kept per resumable session (2 per character)")
            long maxBytes,
            @Setting(key = "wsrv.resume.totalBytes", defaultValue = "67108864",
                    description = "bytes kept by all resumable sessions of the node")
            long totalBytes) {

        /** The documented defaults. */
        public static final Resume DEFAULTS = Settings.defaults(Resume.class);

        /** Resumption off: clients that ask get the plain protocol. */
        public static final Resume OFF = Settings.with(DEFAULTS, "wsrv.resume.windowMs", 0);

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the window is negative or a bound is not positive
         * @throws NullPointerException if the window is null
         */
        public Resume {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || maxMessages < 1 || maxBytes < 1 || totalBytes < 1) {
                throw new IllegalArgumentException("wsrv.resume.windowMs must not be negative and the wsrv.resume"
                        + " bounds must be positive");
            }
        }

        /**
         * Tells whether clients may resume sessions.
         *
         * @return {@code true} when the window is positive
         */
        public boolean enabled() {
            return !window.isZero();
        }
    }

    /**
     * Checks the values; a {@code workers} of -1 becomes 4 per processor and at least 8.
     *
     * @throws IllegalArgumentException if a value is out of range
     * @throws NullPointerException if a value is null
     */
    public WsrvConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(idleSweeper, "idleSweeper");
        Objects.requireNonNull(pushFrameType, "pushFrameType");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(openGrace, "openGrace");
        Objects.requireNonNull(threadFactory, "threadFactory");
        Objects.requireNonNull(resume, "resume");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(blockedIoWarn, "blockedIoWarn");
        if (blockedIoWarn.isNegative()) {
            throw new IllegalArgumentException("wsrv.blockedIoWarnMs must not be negative");
        }
        Objects.requireNonNull(slowHandlerWarn, "slowHandlerWarn");
        if (slowHandlerWarn.isNegative()) {
            throw new IllegalArgumentException("wsrv.slowHandlerWarnMs must not be negative");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("wsrv.path must start with '/': " + path);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("wsrv.idleTimeoutMs must not be negative");
        }
        if (openGrace.toMillis() < 1) {
            throw new IllegalArgumentException("wsrv.handshake.openGraceMs must be at least 1");
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("wsrv.maxMessageSize must be positive");
        }
        if (sendQueueMaxMessages < 1 || sendQueueMaxBytes < 1) {
            throw new IllegalArgumentException("wsrv.sendQueue bounds must be positive");
        }
        if (workers == -1) {
            workers = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        } else if (workers < 0) {
            throw new IllegalArgumentException("wsrv.workers must be -1 (4 per processor), 0 (the container's"
                    + " threads) or more");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /**
     * Returns these settings with one changed, at any depth.
     *
     * @param key the setting's key, such as {@code wsrv.idleTimeoutMs} or {@code wsrv.limits.requestBurst}
     * @param value the new value: of the component's type ({@code Duration}, {@code int}, {@code List<String>}, ...;
     *     an {@code Integer} also for a {@code long}), or its text as the environment would give it
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such setting or the value does not fit it
     */
    public WsrvConfig with(String key, Object value) {
        return Settings.with(this, key, value);
    }

    /**
     * Returns these settings with other limits.
     *
     * @param newLimits the limits
     * @return the changed copy
     */
    public WsrvConfig withLimits(Limits newLimits) {
        return Settings.with(this, newLimits);
    }

    /**
     * Returns these settings with another recovery window and other bounds for resumable sessions.
     *
     * @param newResume the window and bounds
     * @return the changed copy
     */
    public WsrvConfig withResume(Resume newResume) {
        return Settings.with(this, newResume);
    }

    /**
     * Reads the settings from MicroProfile Config, system properties and environment variables.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be read or is out of range
     */
    public static WsrvConfig fromEnvironment() {
        return Settings.fromEnvironment(WsrvConfig.class);
    }

    /**
     * Reads the settings through a lookup function, defaults where it returns {@code null}.
     *
     * @param lookup gives the value of a key, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException if a value cannot be read or is out of range
     */
    public static WsrvConfig from(UnaryOperator<String> lookup) {
        return Settings.read(WsrvConfig.class, lookup);
    }
}
