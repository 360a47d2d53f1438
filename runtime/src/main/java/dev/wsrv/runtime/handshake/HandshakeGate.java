package dev.wsrv.runtime.handshake;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.observe.Observers;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.WsrvConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Decides every upgrade request before any WebSocket traffic, in this order: the origin check (HTTP 403), the
 * connection limits (503 in total, 429 per client address), then the application's
 * {@link HandshakeAuthenticator} (its 4xx). Each container adapter calls it from the one place that can still
 * answer with an HTTP status: a servlet filter in a WAR, the engine in the embedded server.
 *
 * <p>An admitted upgrade holds a connection slot until its session closes, or until the adapter sees that the
 * upgrade did not happen after all. Thread-safe.
 */
@ApplicationScoped
public class HandshakeGate {

    private static final Logger LOG = Logger.getLogger(HandshakeGate.class.getName());
    private static final Logger ERRORS = Logger.getLogger("dev.wsrv.errors");

    /** The outcome for one upgrade request: refused with an HTTP status, or admitted. */
    public record Decision(int status, String reason, AdmissionTicket admitted) {

        /**
         * Tells whether the upgrade is refused.
         *
         * @return {@code true} when refused
         */
        public boolean refused() {
            return admitted == null;
        }
    }

    @Inject
    WsrvConfig config;
    @Inject
    @Any
    Instance<HandshakeAuthenticator> authenticators;
    @Inject
    Observers observers;

    private OriginPolicy origins;
    private ClientAddress clientAddress;
    private ConnectionLimiter limiter;
    private HandshakeAuthenticator authenticator;
    /** Hears the refusals; {@code null} when nothing observes. */
    private WsrvObserver observer;
    private final ThrottledWarning originWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning totalWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning addressWarning = new ThrottledWarning(LOG);
    private final ThrottledWarning expiredWarning = new ThrottledWarning(LOG);
    private PendingTickets pending;

    /** Creates the gate; CDI calls this. */
    public HandshakeGate() {
    }

    @PostConstruct
    void init() {
        origins = new OriginPolicy(config.allowedOrigins(), config.allowedHosts());
        clientAddress = new ClientAddress(config.trustedProxies());
        pending = new PendingTickets(config.openGrace().toNanos(), System::nanoTime);
        limiter = new ConnectionLimiter(config.limits().connections(), config.limits().connectionsPerAddress());
        if (authenticators.isAmbiguous()) {
            String classes = authenticators.handlesStream().map(h -> h.getBean().getBeanClass().getName())
                    .sorted().collect(Collectors.joining(", "));
            String message = "wsrv: more than one HandshakeAuthenticator bean: " + classes;
            // logged as well as thrown: Payara reports the failed deployment without the exception's cause
            LOG.severe(message);
            throw new IllegalStateException(message);
        }
        authenticator = authenticators.isResolvable() ? authenticators.get() : null;
        observer = observers.get();
    }

    /**
     * Returns the application's gate through CDI, for adapters a container created without injection.
     *
     * @return the gate
     */
    public static HandshakeGate fromCdi() {
        return CDI.current().select(HandshakeGate.class).get();
    }

    /**
     * Returns the path of the wsrv endpoint, the only path the gate guards.
     *
     * @return the path
     */
    public String path() {
        return config.path();
    }

    /**
     * Decides one upgrade request. Behind trusted proxies ({@code wsrv.trustedProxies}) the client's address is
     * the one their {@code X-Forwarded-For} names, for the limits and for the authenticator.
     *
     * @param request the upgrade request
     * @return the decision; an admitted one holds a connection slot
     */
    public Decision admit(RequestHandshake request) {
        Decision d = decide(request);
        if (d.refused() && observer != null) {
            observer.handshakeRefused(d.status());
        }
        return d;
    }

    private Decision decide(RequestHandshake request) {
        String address = clientAddress.of(request.remoteAddress(), request.headers("X-Forwarded-For"));
        Handshake handshake = address.equals(request.remoteAddress()) ? request : request.withRemoteAddress(address);
        List<String> origin = request.hasHeader("Origin") && request.headers("Origin").isEmpty() ? List.of("")
                : request.headers("Origin");
        String refusal = origins.refusal(origin, handshake.header("Host").orElse(null), request.localAddress(),
                request.secure());
        if (refusal != null) {
            originWarning.warn("wsrv: refused an upgrade from origin " + LogText.safe(String.join(", ", origin))
                    + " (address " + LogText.safe(address) + "): " + refusal + "; HTTP 403");
            return new Decision(403, "origin not allowed", null);
        }
        int expired = pending.sweep();
        if (expired > 0) {
            expiredWarning.warn("wsrv: gave back " + expired + " connection slot(s) of upgrades whose sessions did not "
                    + "open within " + config.openGrace().toMillis() + " ms (wsrv.handshake.openGraceMs)");
        }
        ConnectionLimiter.Refusal full = limiter.acquire(address);
        if (full == ConnectionLimiter.Refusal.TOTAL) {
            totalWarning.warn("wsrv: refused an upgrade: " + config.limits().connections()
                    + " connections open (wsrv.limits.connections); HTTP 503");
            return new Decision(503, "too many connections", null);
        }
        if (full == ConnectionLimiter.Refusal.PER_ADDRESS) {
            addressWarning.warn("wsrv: refused an upgrade from " + LogText.safe(address) + ": "
                    + config.limits().connectionsPerAddress()
                    + " connections open from that address (wsrv.limits.connectionsPerAddress); HTTP 429");
            return new Decision(429, "too many connections from this address", null);
        }
        Principal container = handshake.containerPrincipal().orElse(null);
        if (authenticator == null) {
            return admitted(container, Map.of(), address, request);
        }
        Admission admission;
        try {
            admission = authenticator.authenticate(handshake);
            if (admission == null) {
                throw new IllegalStateException("the HandshakeAuthenticator returned null");
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // an Error too: the slot must not leak with a broken authenticator class
            limiter.release(address);
            String errorId = UUID.randomUUID().toString().substring(0, 13);
            ERRORS.log(Level.SEVERE, e, () -> LogText.fields("errorId", errorId, "address", address)
                    + ": the HandshakeAuthenticator failed; HTTP 500");
            return new Decision(500, "internal error " + errorId, null);
        }
        if (!admission.accepted()) {
            limiter.release(address);
            LOG.fine(() -> "wsrv: the authenticator refused an upgrade from " + LogText.safe(address) + " with HTTP "
                    + admission.status());
            String reason = switch (admission.status()) {
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                default -> "refused";
            };
            return new Decision(admission.status(), reason, null);
        }
        return admitted(admission.principal().orElse(container), admission.attributes(), address, request);
    }

    private Decision admitted(Principal principal, Map<String, Object> attributes, String address,
                              RequestHandshake request) {
        // asked for in the query and decided here, behind the same checks as every upgrade, before the session exists
        ResumeRequest resume = config.resume().enabled()
                ? ResumeRequest.of(request.query(ResumeRequest.RESUME), request.query(ResumeRequest.LAST)) : null;
        AdmissionTicket a = new AdmissionTicket(principal, attributes, address, limiter, pending, resume,
                request.header("traceparent").orElse(null));
        pending.add(a);
        return new Decision(101, "", a);
    }

    /**
     * Returns how many connections hold a slot.
     *
     * @return the count
     */
    public int openConnections() {
        return limiter.open();
    }
}
