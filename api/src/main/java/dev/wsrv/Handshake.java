package dev.wsrv;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP upgrade request of a WebSocket connection, as a {@link HandshakeAuthenticator} sees it before any
 * WebSocket traffic. Header names are matched without regard to case. Read-only.
 */
public interface Handshake {

    /**
     * Returns the request path, without the query.
     *
     * @return the path, such as {@code /app/ws}
     */
    String path();

    /**
     * Returns the first value of a request header.
     *
     * @param name the header name, in any case
     * @return the value, or empty when the header is absent
     */
    Optional<String> header(String name);

    /**
     * Returns every value of a request header.
     *
     * @param name the header name, in any case
     * @return the values, empty when the header is absent
     */
    List<String> headers(String name);

    /**
     * Returns the value of a cookie sent with the request.
     *
     * @param name the cookie name, case-sensitive
     * @return the value, or empty when the request has no such cookie
     */
    Optional<String> cookie(String name);

    /**
     * Returns the first value of a query parameter.
     *
     * @param name the parameter name
     * @return the decoded value, or empty when the query has no such parameter
     */
    Optional<String> query(String name);

    /**
     * Returns every query parameter.
     *
     * @return the decoded parameters, by name
     */
    Map<String, List<String>> queryParameters();

    /**
     * Returns the principal the server authenticated the request as, through servlet or Jakarta Security
     * authentication.
     *
     * @return the principal, or empty when the container authenticated nobody (always on the embedded server)
     */
    Optional<Principal> containerPrincipal();

    /**
     * Returns the IP address of the client, as the server sees it (a proxy's address when behind one).
     *
     * @return the address, such as {@code 127.0.0.1}
     */
    String remoteAddress();
}
