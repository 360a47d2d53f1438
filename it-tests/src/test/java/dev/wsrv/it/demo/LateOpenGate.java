package dev.wsrv.it.demo;

import dev.wsrv.runtime.handshake.HandshakeGate;
import dev.wsrv.runtime.handshake.RequestHandshake;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * wsrv's handshake gate with a slow container after it: an admitted upgrade that carries {@link #HEADER} waits that
 * many milliseconds before the container goes on to the 101 and the session's open, which then comes after the
 * admission's grace period ({@code wsrv.handshake.openGraceMs}). Other upgrades pass as through the gate itself.
 * Only in the servers {@link OwnInstanceTest} starts: a bean class of the embedded server, a class in its copy of the
 * demo WAR.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class LateOpenGate extends HandshakeGate {

    /** The upgrade-request header that delays the open, in milliseconds. */
    public static final String HEADER = "X-Test-Open-Delay-Ms";

    /** Creates the gate; CDI calls this. */
    public LateOpenGate() {
    }

    @Override
    public Decision admit(RequestHandshake request) {
        Decision d = super.admit(request);
        String delay = request.header(HEADER).orElse(null);
        if (!d.refused() && delay != null) {
            try {
                // a stalled container thread is what is simulated: nothing to wait for but the time
                Thread.sleep(Long.parseLong(delay));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return d;
    }
}
