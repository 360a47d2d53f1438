package dev.wsrv;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeAuthenticator} decided: accept the connection, with a principal and session attributes
 * that handlers read from the {@link Context}, or refuse the upgrade with an HTTP status. The runtime turns an
 * accepting one into the ticket the upgrade carries to its session. Immutable.
 */
public final class Admission {

    private static final Admission ACCEPT = new Admission(0, null, Map.of());

    private final int status;
    private final Principal principal;
    private final Map<String, Object> attributes;

    private Admission(int status, Principal principal, Map<String, Object> attributes) {
        this.status = status;
        this.principal = principal;
        this.attributes = attributes;
    }

    /**
     * Accepts the connection as the container's principal, if any.
     *
     * @return the admission
     */
    public static Admission accept() {
        return ACCEPT;
    }

    /**
     * Accepts the connection as the given principal, which {@link Context#principal()} returns.
     *
     * @param principal the principal
     * @return the admission
     */
    public static Admission accept(Principal principal) {
        return new Admission(0, Objects.requireNonNull(principal, "principal"), Map.of());
    }

    /**
     * Accepts the connection as a principal of the given name.
     *
     * @param name the principal's name
     * @return the admission
     */
    public static Admission accept(String name) {
        Objects.requireNonNull(name, "name");
        return accept(new NamedPrincipal(name));
    }

    /**
     * Refuses the upgrade with HTTP 401, for a request without valid credentials.
     *
     * @return the refusal
     */
    public static Admission unauthorized() {
        return reject(401);
    }

    /**
     * Refuses the upgrade with HTTP 403, for a known client that may not connect.
     *
     * @return the refusal
     */
    public static Admission forbidden() {
        return reject(403);
    }

    /**
     * Refuses the upgrade with an HTTP client-error status.
     *
     * @param status a status from 400 to 499
     * @return the refusal
     * @throws IllegalArgumentException if the status is not a client error
     */
    public static Admission reject(int status) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a refused upgrade needs a 4xx status: " + status);
        }
        return new Admission(status, null, Map.of());
    }

    /**
     * Returns this acceptance with one more session attribute, readable with {@link Context#get(String)}.
     *
     * @param name the attribute name; names starting with {@code dev.wsrv.} are reserved
     * @param value the value
     * @return the changed copy
     * @throws IllegalStateException if this admission is a refusal
     * @throws IllegalArgumentException if the name is reserved
     */
    public Admission withAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!accepted()) {
            throw new IllegalStateException("a refused upgrade has no attributes");
        }
        if (name.startsWith("dev.wsrv.")) {
            throw new IllegalArgumentException("attribute names starting with dev.wsrv. are reserved: " + name);
        }
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        copy.put(name, value);
        return new Admission(0, principal, Map.copyOf(copy));
    }

    /**
     * Tells whether the connection is accepted.
     *
     * @return {@code true} for an acceptance
     */
    public boolean accepted() {
        return status == 0;
    }

    /**
     * Returns the HTTP status of a refusal.
     *
     * @return the status, 0 for an acceptance
     */
    public int status() {
        return status;
    }

    /**
     * Returns the principal of an acceptance.
     *
     * @return the principal, or empty to keep the container's
     */
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    /**
     * Returns the session attributes of an acceptance.
     *
     * @return the attributes, by name
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return accepted() ? "Admission[accept " + (principal == null ? "" : principal.getName()) + "]"
                : "Admission[reject " + status + "]";
    }

    /** The principal of {@link #accept(String)}. */
    private record NamedPrincipal(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }
}
