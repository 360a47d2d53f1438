package dev.wsrv.runtime.handshake;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decides whether a browser origin may open a connection. This is what stops a page on another site from opening a
 * connection with the user's cookies (cross-site WebSocket hijacking), and a page on a name that resolves to this
 * server from reaching it (DNS rebinding). Immutable.
 *
 * <p>A request without an {@code Origin} header (a non-browser client) may. A request with an empty one, or with
 * more than one, may not. A listed origin ({@code wsrv.origins}) may. Any other origin may only when it is the
 * server's own: its scheme is the connection's ({@code http} on a plain connection, {@code https} on TLS), its host
 * is an allowed host and its host and port are those the browser connected to (the {@code Host} header). The
 * allowed hosts are {@code wsrv.allowedHosts}, or by default the names of the address the connection came in on:
 * that address, and for a loopback address also {@code localhost}, {@code 127.0.0.1} and {@code ::1}. The
 * {@code Host} header alone, which a page on a rebinding domain sends with its own name, never admits an origin.
 */
public final class OriginPolicy {

    /** Why an origin was refused, for the log. */
    static final String REPEATED = "repeated Origin header";
    static final String EMPTY = "empty Origin header";
    static final String FOREIGN = "not the server's own origin and not in wsrv.origins";

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final boolean anyOrigin;
    private final Set<String> origins;
    private final boolean anyHost;
    private final Set<String> hosts;
    private final Map<String, Set<String>> namesByLocalAddress = new ConcurrentHashMap<>();

    /**
     * Creates the policy.
     *
     * @param allowedOrigins origins such as {@code https://app.example.com}, compared without regard to case and
     *     to a trailing slash; {@code *} allows every origin
     * @param allowedHosts the host names the server's own origins may have; empty for the names of the local
     *     address; {@code *} for any host (no protection against DNS rebinding)
     */
    public OriginPolicy(List<String> allowedOrigins, List<String> allowedHosts) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = allowedOrigins.stream().map(OriginPolicy::normalOrigin).collect(Collectors.toUnmodifiableSet());
        this.anyHost = allowedHosts.contains("*");
        this.hosts = allowedHosts.stream().map(OriginPolicy::normalHost).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Decides one upgrade request.
     *
     * @param originHeaders every {@code Origin} header of the request, empty when there is none
     * @param host the {@code Host} header, or {@code null} when absent
     * @param localAddress the IP address the connection came in on, or {@code null} when unknown (then only
     *     {@code wsrv.allowedHosts} are allowed hosts)
     * @param secure whether the connection is TLS
     * @return {@code null} when the request may open a connection, else why not
     */
    public String refusal(List<String> originHeaders, String host, String localAddress, boolean secure) {
        if (originHeaders.isEmpty()) {
            return null;
        }
        if (originHeaders.size() > 1) {
            return REPEATED;
        }
        String origin = originHeaders.get(0);
        if (origin == null || origin.isBlank()) {
            return EMPTY;
        }
        if (anyOrigin || origins.contains(normalOrigin(origin))) {
            return null;
        }
        return sameOrigin(normalOrigin(origin), host, localAddress, secure) ? null : FOREIGN;
    }

    private boolean sameOrigin(String origin, String host, String localAddress, boolean secure) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            String scheme = secure ? "https" : "http";
            if (!scheme.equals(o.getScheme()) || o.getHost() == null || o.getRawUserInfo() != null
                    || (o.getRawPath() != null && !o.getRawPath().isEmpty()) || o.getRawQuery() != null
                    || o.getRawFragment() != null) {
                return false;
            }
            URI h = URI.create(scheme + "://" + host.trim().toLowerCase(Locale.ROOT));
            if (h.getHost() == null || !normalHost(o.getHost()).equals(normalHost(h.getHost()))
                    || port(o) != port(h)) {
                return false;
            }
            return anyHost || allowedHosts(localAddress).contains(normalHost(o.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Set<String> allowedHosts(String localAddress) {
        if (!hosts.isEmpty() || localAddress == null || localAddress.isBlank()) {
            return hosts;
        }
        return namesByLocalAddress.computeIfAbsent(normalHost(localAddress), OriginPolicy::namesOf);
    }

    /** The names of a local address: itself; every local address for the wildcard; the loopback names for loopback. */
    private static Set<String> namesOf(String address) {
        Set<String> names = new HashSet<>();
        names.add(address);
        try {
            InetAddress a = InetAddress.getByName(address);
            if (a.isLoopbackAddress()) {
                names.addAll(LOOPBACK_NAMES);
            } else if (a.isAnyLocalAddress()) {
                names.addAll(LOOPBACK_NAMES);
                for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress each : Collections.list(i.getInetAddresses())) {
                        names.add(normalHost(each.getHostAddress()));
                    }
                }
            }
        } catch (UnknownHostException | SocketException e) {
            // a literal never needs a lookup; an address that is not one counts as a name by itself
        }
        return Set.copyOf(names);
    }

    private static String normalOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /**
     * A host in one spelling: lower case, IPv6 literals without brackets or zone and in Java's canonical form
     * ({@code [::1]} and {@code 0:0:0:0:0:0:0:1} are both {@code ::1}), IPv4 literals without leading zeros. Never
     * a name lookup.
     */
    static String normalHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            int zone = h.indexOf('%');
            try {
                // with a colon, Java parses an IPv6 literal and never looks the text up
                String canonical = InetAddress.getByName(zone > 0 ? h.substring(0, zone) : h).getHostAddress();
                return "0:0:0:0:0:0:0:1".equals(canonical) ? "::1" : canonical;
            } catch (UnknownHostException e) {
                return h;
            }
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length == 4 && h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            StringBuilder b = new StringBuilder();
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                    return h;
                }
                b.append(b.length() == 0 ? "" : ".").append(Integer.parseInt(p));
            }
            return b.toString();
        }
        return h;
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
