package dev.wsrv.runtime.handshake;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a browser origin may open a connection: requests without an {@code Origin} header
 * (non-browser clients), same-origin requests and listed origins may; every other origin may not. This is what
 * stops a page on another site from opening a connection with the user's cookies (cross-site WebSocket
 * hijacking). Immutable.
 */
public final class OriginPolicy {

    private final boolean any;
    private final Set<String> allowed;

    /**
     * Creates the policy.
     *
     * @param allowedOrigins origins such as {@code https://app.example.com}, compared without regard to case and
     *     to a trailing slash; {@code *} allows every origin
     */
    public OriginPolicy(List<String> allowedOrigins) {
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normal).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Tells whether a request may open a connection.
     *
     * @param origin the {@code Origin} header, or {@code null} when absent
     * @param host the {@code Host} header, or {@code null} when absent
     * @return {@code true} when allowed
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = normal(origin);
        return allowed.contains(o) || sameOrigin(o, host);
    }

    private static String normal(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** The origin's host and port equal the Host header's; a Host without port means the origin scheme's. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            URI h = URI.create(o.getScheme() + "://" + host.trim().toLowerCase(Locale.ROOT));
            if (o.getHost() == null || h.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()) {
                return false;
            }
            return o.getHost().equals(h.getHost()) && port(o) == port(h) && port(o) > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return switch (u.getScheme()) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }
}
