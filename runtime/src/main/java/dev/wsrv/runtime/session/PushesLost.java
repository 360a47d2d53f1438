package dev.wsrv.runtime.session;

import java.util.Objects;

/**
 * A CDI event a {@link PushTransport} fires when it finds that this node has missed pushes other nodes published:
 * the broker dropped them before the node could read them (for example, the node was cut off for longer than the
 * broker keeps pushes, or the broker restarted without its data). Any session of this node that was open when the
 * event fires may have missed pushes addressed to it; sessions opened later have not. wsrv itself ends the recovery
 * of the resumable sessions of this node that wait for their client (docs/protocol.md#resume-on-another-node): their
 * clients get {@code pushes-lost}. Fired once per loss, on the transport's receiving thread, before the node delivers
 * anything it receives afterwards; observers should return quickly.
 *
 * @param reason what was lost and why, for logs; never {@code null}
 */
public record PushesLost(String reason) {

    /**
     * Checks the reason.
     *
     * @throws NullPointerException if {@code reason} is {@code null}
     */
    public PushesLost {
        Objects.requireNonNull(reason, "reason");
    }
}
