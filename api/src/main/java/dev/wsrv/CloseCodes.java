package dev.wsrv;

/**
 * The WebSocket close codes the server uses, besides those the container sends by itself.
 */
public final class CloseCodes {

    /** A normal close; the server uses it for a session idle for longer than the idle timeout. */
    public static final int NORMAL = 1000;
    /** The server is shutting down or the application is undeployed. */
    public static final int GOING_AWAY = 1001;
    /**
     * A client frame broke RFC 6455: unmasked, an RSV bit, a reserved opcode, a bad length or control frame
     * (the embedded server; on an application server, as its container decides).
     */
    public static final int PROTOCOL_ERROR = 1002;
    /** A text frame was not valid UTF-8 (sent by the container). */
    public static final int INVALID_PAYLOAD = 1007;
    /** The session broke a policy: it was refused too many requests for going over its request rate. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message was larger than the configured maximum size (sent by the container). */
    public static final int TOO_BIG = 1009;
    /** An unexpected server condition. */
    public static final int UNEXPECTED = 1011;
    /** The session's outbound queue exceeded its bound: the client reads too slowly. */
    public static final int SLOW_CONSUMER = 1013;
    /**
     * The session was resumed on another connection; the client must not reconnect with this one (see
     * docs/protocol.md#resumable-sessions).
     */
    public static final int RESUMED_ELSEWHERE = 4001;

    private CloseCodes() {
    }
}
