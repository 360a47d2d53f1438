package dev.wsrv.runtime.handshake;

import dev.wsrv.Handshake;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Handshake} over values a container adapter copied out of its upgrade request. Immutable.
 */
public final class RequestHandshake implements Handshake {

    private final String path;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> query;
    private final Principal containerPrincipal;
    private final String remoteAddress;
    private final String localAddress;
    private final boolean secure;

    /**
     * Creates the view.
     *
     * @param path the request path
     * @param headers the request headers, names in any case
     * @param query the decoded query parameters
     * @param containerPrincipal the principal the container authenticated, or {@code null}
     * @param remoteAddress the client's IP address
     * @param localAddress the server's IP address the connection came in on, or {@code null} when unknown
     * @param secure whether the connection is TLS
     */
    public RequestHandshake(String path, Map<String, List<String>> headers, Map<String, List<String>> query,
                            Principal containerPrincipal, String remoteAddress, String localAddress, boolean secure) {
        this.path = path == null ? "" : path;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                h.merge(k, List.copyOf(v), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
            }
        });
        this.headers = h;
        this.query = Map.copyOf(query);
        this.containerPrincipal = containerPrincipal;
        this.remoteAddress = remoteAddress == null ? "" : remoteAddress;
        this.localAddress = localAddress;
        this.secure = secure;
    }

    private RequestHandshake(RequestHandshake from, String remoteAddress) {
        this.path = from.path;
        this.headers = from.headers;
        this.query = from.query;
        this.containerPrincipal = from.containerPrincipal;
        this.remoteAddress = remoteAddress;
        this.localAddress = from.localAddress;
        this.secure = from.secure;
    }

    /**
     * Returns this request as coming from another client address, the one trusted proxies name.
     *
     * @param address the client's address
     * @return the changed copy
     */
    public RequestHandshake withRemoteAddress(String address) {
        return new RequestHandshake(this, address);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> header(String name) {
        List<String> v = headers(name);
        return v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /**
     * Tells whether the request has a header, even one without a value (Tyrus reports an empty header as a name
     * with no values).
     *
     * @param name the header name, in any case
     * @return {@code true} when the header is present
     */
    public boolean hasHeader(String name) {
        return headers.containsKey(name);
    }

    @Override
    public Optional<String> cookie(String name) {
        for (String header : headers("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String v = pair.substring(eq + 1).trim();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    @Override
    public Optional<Principal> containerPrincipal() {
        return Optional.ofNullable(containerPrincipal);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns the server's address the connection came in on, whose names are the default allowed hosts of the
     * origin check.
     *
     * @return the IP address, or {@code null} when the container does not say
     */
    public String localAddress() {
        return localAddress;
    }

    /**
     * Tells whether the connection is TLS, which makes {@code https} the scheme of the server's own origin.
     *
     * @return {@code true} for TLS
     */
    public boolean secure() {
        return secure;
    }
}
