package dev.wsrv.embedded;

import dev.wsrv.Setting;
import dev.wsrv.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The bounds the embedded server keeps on connections below the WebSocket layer: before the upgrade and on the
 * socket. Zero turns a bound off. Application servers have their own settings for these (see SECURITY.md).
 *
 * <p>Each component declares its setting once, with {@link Setting}, as in {@link dev.wsrv.WsrvConfig}, which says
 * how to add one; {@link #fromEnvironment()} reads them like every wsrv setting. The embedded server takes it with
 * {@code EmbeddedServer.builder().transport(...)}. Immutable and thread-safe.
 *
 * @param handshakeTimeout how long a connection may take to send a complete HTTP request head
 * @param handshakingConnections connections not yet upgraded, in total
 * @param handshakingConnectionsPerAddress the same per client IP address
 * @param maxOutboundBytes bytes of frames one connection may have waiting for its socket
 */
public record TransportConfig(
        @Setting(key = "wsrv.transport.handshakeTimeoutMs", defaultValue = "5000", description = "embedded: time to"
                + " send a complete HTTP request head, from the connection's opening or the end of its previous"
                + " response; slower connections are closed")
        Duration handshakeTimeout,
        @Setting(key = "wsrv.transport.handshakingConnections", defaultValue = "1000",
                description = "embedded: connections not yet upgraded, in total; beyond: closed at once")
        int handshakingConnections,
        @Setting(key = "wsrv.transport.handshakingConnectionsPerAddress", defaultValue = "100",
                description = "embedded: the same per client IP")
        int handshakingConnectionsPerAddress,
        @Setting(key = "wsrv.transport.maxOutboundBytes", defaultValue = "1048576", description = "embedded: bytes"
                + " waiting for a socket beyond the frame being written (replies, pushes, pongs, close frames);"
                + " beyond: the socket is closed, since its client does not read")
        long maxOutboundBytes) {

    /** The documented defaults. */
    public static final TransportConfig DEFAULTS = Settings.defaults(TransportConfig.class);

    /** Every bound off: for benchmarks only. */
    public static final TransportConfig NONE = Settings.off(TransportConfig.class);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is negative
     * @throws NullPointerException if {@code handshakeTimeout} is null
     */
    public TransportConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakingConnections < 0 || handshakingConnectionsPerAddress < 0
                || maxOutboundBytes < 0) {
            throw new IllegalArgumentException("wsrv.transport.* must not be negative (0 turns a bound off)");
        }
    }

    /**
     * Reads the settings from MicroProfile Config, system properties and environment variables.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value is not a number
     */
    public static TransportConfig fromEnvironment() {
        return Settings.fromEnvironment(TransportConfig.class);
    }

    /**
     * Reads the settings through a lookup function, defaults where it returns {@code null}.
     *
     * @param lookup gives the value of a key, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException if a value is not a number
     */
    public static TransportConfig from(UnaryOperator<String> lookup) {
        return Settings.read(TransportConfig.class, lookup);
    }

    /**
     * Returns these settings with one changed.
     *
     * @param key the setting's key, such as {@code wsrv.transport.maxOutboundBytes}
     * @param value the new value: a number, a {@code Duration} for the timeout, or its text
     * @return the changed copy
     * @throws IllegalArgumentException if there is no such setting or the value does not fit it
     */
    public TransportConfig with(String key, Object value) {
        return Settings.with(this, key, value);
    }
}
