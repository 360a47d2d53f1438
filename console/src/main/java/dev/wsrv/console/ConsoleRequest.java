package dev.wsrv.console;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to the operator console, as its {@link ConsoleAuthenticator} sees it. Immutable.
 *
 * @param method the method in upper case, such as {@code GET}
 * @param path the path below the console's own, starting with {@code /}; {@code /} for the page
 * @param query the raw query string, or {@code null}
 * @param remoteAddress the peer of the TCP connection (a proxy's when there is one)
 * @param headers the headers, their names in lower case
 * @param body the body, empty for none
 */
public record ConsoleRequest(String method, String path, String query, InetAddress remoteAddress,
                             Map<String, String> headers, byte[] body) {

    /** Checks the required fields and copies the headers. */
    public ConsoleRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /**
     * Returns a header's value.
     *
     * @param name the name, in any case
     * @return the value, or {@code null} when the request has none
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
