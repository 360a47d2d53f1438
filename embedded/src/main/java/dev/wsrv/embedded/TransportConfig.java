package dev.wsrv.embedded;

import dev.wsrv.WsrvConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The bounds the embedded server keeps on connections below the WebSocket layer: before the upgrade and on the
 * socket. Zero turns a bound off. Application servers have their own settings for these (see SECURITY.md).
 *
 * <p>{@link #fromEnvironment()} reads each key like every wsrv setting: MicroProfile Config, then a system
 * property, then an environment variable ({@code WSRV_TRANSPORT_HANDSHAKE_TIMEOUT_MS}, ...).
 *
 * @param handshakeTimeout how long a connection may take to send a complete HTTP request head, from its opening
 *     or from the end of its previous response; a connection that takes longer is closed. 5 s by default
 *     ({@code wsrv.transport.handshakeTimeoutMs})
 * @param handshakingConnections how many connections may be open without having upgraded (HTTP connections), in
 *     total; one more is closed at once. 1,000 by default ({@code wsrv.transport.handshakingConnections})
 * @param handshakingConnectionsPerAddress the same per client IP address, 100 by default
 *     ({@code wsrv.transport.handshakingConnectionsPerAddress})
 * @param maxOutboundBytes how many bytes of frames (replies, pushes, pongs, close frames) one connection may
 *     have waiting for its socket beyond the frame being written; a frame beyond this closes the connection,
 *     since its client does not read. 1 MiB by default ({@code wsrv.transport.maxOutboundBytes})
 */
public record TransportConfig(Duration handshakeTimeout, int handshakingConnections,
                              int handshakingConnectionsPerAddress, long maxOutboundBytes) {

    /** The documented defaults. */
    public static final TransportConfig DEFAULTS = new TransportConfig(Duration.ofSeconds(5), 1_000, 100, 1 << 20);

    /** Every bound off: for benchmarks only. */
    public static final TransportConfig NONE = new TransportConfig(Duration.ZERO, 0, 0, 0);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is negative
     * @throws NullPointerException if {@code handshakeTimeout} is null
     */
    public TransportConfig {
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
        return from(WsrvConfig::setting);
    }

    /**
     * Reads the settings through a lookup function, defaults where it returns {@code null}.
     *
     * @param lookup gives the value of a key, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException if a value is not a number
     */
    public static TransportConfig from(UnaryOperator<String> lookup) {
        TransportConfig d = DEFAULTS;
        return new TransportConfig(
                Duration.ofMillis(num(lookup, "wsrv.transport.handshakeTimeoutMs", d.handshakeTimeout.toMillis())),
                (int) num(lookup, "wsrv.transport.handshakingConnections", d.handshakingConnections),
                (int) num(lookup, "wsrv.transport.handshakingConnectionsPerAddress", d.handshakingConnectionsPerAddress),
                num(lookup, "wsrv.transport.maxOutboundBytes", d.maxOutboundBytes));
    }

    /**
     * Returns these settings with other bounds before the upgrade.
     *
     * @param timeout the handshake timeout, zero for none
     * @param total connections not yet upgraded in total, 0 for no limit
     * @param perAddress the same per client address, 0 for no limit
     * @return the changed copy
     */
    public TransportConfig withHandshake(Duration timeout, int total, int perAddress) {
        return new TransportConfig(timeout, total, perAddress, maxOutboundBytes);
    }

    /**
     * Returns these settings with another bound on a connection's waiting outbound frames.
     *
     * @param bytes the bound, 0 for none
     * @return the changed copy
     */
    public TransportConfig withMaxOutboundBytes(long bytes) {
        return new TransportConfig(handshakeTimeout, handshakingConnections, handshakingConnectionsPerAddress, bytes);
    }

    private static long num(UnaryOperator<String> lookup, String key, long dflt) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v, e);
        }
    }
}
