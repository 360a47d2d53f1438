package dev.wsrv.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Reports that no reply to a request arrived within its timeout.
 *
 * <p>The message names the command, the seqno and the timeout, for example
 * {@code wsrv: no reply to userinfo (seqno k3jx9a-12) within 300 ms}. A reply that arrives later is dropped
 * (it is not delivered as a push). Immutable and thread-safe.
 */
public final class WsrvTimeoutException extends WsrvException {

    private static final long serialVersionUID = 1L;

    /** The timeout that expired. */
    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param cmd the command, not {@code null}
     * @param seqno the seqno, not {@code null}
     * @param timeout the timeout that expired, not {@code null}
     */
    public WsrvTimeoutException(String cmd, String seqno, Duration timeout) {
        super("wsrv: no reply to " + cmd + " (seqno " + seqno + ") within " + timeout.toMillis() + " ms",
                Objects.requireNonNull(cmd, "cmd"), Objects.requireNonNull(seqno, "seqno"), null);
        this.timeout = timeout;
    }

    /**
     * Returns the timeout that expired.
     *
     * @return the timeout, never {@code null}
     */
    public Duration timeout() {
        return timeout;
    }
}
