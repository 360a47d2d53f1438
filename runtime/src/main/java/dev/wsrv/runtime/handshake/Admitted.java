package dev.wsrv.runtime.handshake;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted upgrade on its way to the session: who it was admitted as, its attributes, and its connection
 * slot. It travels as the upgrade request's user principal, the one value every container hands from the
 * HTTP request to the WebSocket session ({@code Session.getUserPrincipal()}); {@link #of} finds it there.
 * Thread-safe.
 */
public final class Admitted implements Principal {

    private final Principal principal;
    private final Map<String, Object> attributes;
    private final String address;
    private final ConnectionLimiter limiter;
    private final AtomicBoolean released = new AtomicBoolean();

    Admitted(Principal principal, Map<String, Object> attributes, String address, ConnectionLimiter limiter) {
        this.principal = principal;
        this.attributes = Map.copyOf(attributes);
        this.address = address;
        this.limiter = limiter;
    }

    /**
     * Finds the admission of a session.
     *
     * @param sessionPrincipal what the container's session reports as its user principal
     * @return the admission, or {@code null} when the upgrade did not pass the gate
     */
    public static Admitted of(Principal sessionPrincipal) {
        return sessionPrincipal instanceof Admitted a ? a : null;
    }

    /**
     * Returns the principal the session was admitted as.
     *
     * @return the principal, or {@code null} for an anonymous session
     */
    public Principal principal() {
        return principal;
    }

    /**
     * Returns the session attributes the authenticator attached.
     *
     * @return the attributes
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * Returns the client address.
     *
     * @return the address
     */
    public String address() {
        return address;
    }

    /** Gives back the connection slot; only the first call counts. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            limiter.release(address);
        }
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal.getName();
    }

    @Override
    public String toString() {
        return "Admitted[" + getName() + "@" + address + "]";
    }
}
