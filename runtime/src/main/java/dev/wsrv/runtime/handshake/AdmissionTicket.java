package dev.wsrv.runtime.handshake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.Principal;
import java.util.Map;

/**
 * What the handshake gate hands an admitted upgrade for its session, the runtime's side of the authenticator's
 * {@link dev.wsrv.Admission}: who it was admitted as, its attributes, and its connection slot. It travels as the upgrade request's user principal, the one value every container hands from the
 * HTTP request to the WebSocket session ({@code Session.getUserPrincipal()}); {@link #of} finds it there.
 * Thread-safe.
 */
public final class AdmissionTicket implements Principal {

    private final Principal principal;
    private final Map<String, Object> attributes;
    private final String address;
    private final ResumeRequest resume;
    /** The upgrade request's W3C trace context, for the traces of its session's requests. */
    private final String traceparent;
    private static final int MAX_TRACEPARENT = 256;
    private static final int PENDING = 0;
    private static final int OPEN = 1;
    private static final int RELEASED = 2;

    private final ConnectionLimiter limiter;
    private final PendingTickets pending;
    private final long admittedAt;
    /** Changed through {@link #STATE}: a field rather than an atomic object, as every open session holds a ticket. */
    private volatile int state = PENDING;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AdmissionTicket.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    AdmissionTicket(Principal principal, Map<String, Object> attributes, String address, ConnectionLimiter limiter,
             PendingTickets pending, ResumeRequest resume) {
        this(principal, attributes, address, limiter, pending, resume, null);
    }

    AdmissionTicket(Principal principal, Map<String, Object> attributes, String address, ConnectionLimiter limiter,
             PendingTickets pending, ResumeRequest resume, String traceparent) {
        this.principal = principal;
        // a W3C traceparent is 55 characters; anything much longer is not one and is not kept for the session's life
        this.traceparent = traceparent == null || traceparent.length() > MAX_TRACEPARENT ? null : traceparent;
        this.resume = resume;
        this.attributes = Map.copyOf(attributes);
        this.address = address;
        this.limiter = limiter;
        this.pending = pending;
        this.admittedAt = pending.now();
    }

    /**
     * Finds the admission of a session.
     *
     * @param sessionPrincipal what the container's session reports as its user principal
     * @return the admission, or {@code null} when the upgrade did not pass the gate
     */
    public static AdmissionTicket of(Principal sessionPrincipal) {
        return sessionPrincipal instanceof AdmissionTicket a ? a : null;
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

    /**
     * Returns what the client asked for in {@code wsrv.resume} and {@code wsrv.last}.
     *
     * @return the request, or {@code null} for a plain session (the client did not ask, or resumption is off)
     */
    public ResumeRequest resume() {
        return resume;
    }

    /**
     * Returns the W3C {@code traceparent} header of the upgrade request, as the client sent it.
     *
     * @return the header, or {@code null} when there was none (or one too long to be one)
     */
    public String traceparent() {
        return traceparent;
    }

    /**
     * Marks the admission as used by an open session, which now holds its slot until it closes.
     *
     * @return {@code false} when the session comes too late (its grace period is over, whether or not a sweep
     *     gave the slot back already, see {@link #expire}) or the slot was given back: the session must not open
     */
    public boolean open() {
        if (pending.late(admittedAt)) {
            // checked here too, not only by the next admission's sweep: a late session is refused on any server,
            // busy or not
            expire();
            return false;
        }
        return STATE.compareAndSet(this, PENDING, OPEN);
    }

    /** Gives back the connection slot; only the first call counts. */
    public void release() {
        if ((int) STATE.getAndSet(this, RELEASED) != RELEASED) {
            limiter.release(address);
        }
    }

    /**
     * Gives back the slot of an admission that no session has used, for an upgrade whose session never opened
     * (a client gone between the 101 and the container's open call).
     *
     * @return {@code true} when it was still unused and is now released
     */
    boolean expire() {
        if (STATE.compareAndSet(this, PENDING, RELEASED)) {
            limiter.release(address);
            return true;
        }
        return false;
    }

    long admittedAt() {
        return admittedAt;
    }

    boolean pending() {
        return state == PENDING;
    }

    @Override
    public String getName() {
        return principal == null ? "" : principal.getName();
    }

    @Override
    public String toString() {
        return "AdmissionTicket[" + getName() + "@" + address + "]";
    }
}
