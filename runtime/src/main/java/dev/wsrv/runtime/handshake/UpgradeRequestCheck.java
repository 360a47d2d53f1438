package dev.wsrv.runtime.handshake;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks that a request asking for {@code Upgrade: websocket} is a well-formed opening handshake (RFC 6455
 * section 4.2.1), so that every container answers a malformed one the same way: 426 for a protocol version other
 * than 13 (with {@code Sec-WebSocket-Version: 13}), 400 for anything else, never a server error. Stateless and
 * thread-safe.
 */
public final class UpgradeRequestCheck {

    /** The only WebSocket protocol version a server may accept. */
    public static final String VERSION = "13";

    /** Why a handshake is refused: the HTTP status and a short reason for the response body. */
    public record Refusal(int status, String reason) {
    }

    private UpgradeRequestCheck() {
    }

    /**
     * Checks an upgrade request.
     *
     * @param method the HTTP method, such as {@code GET}
     * @param protocol the request's protocol, such as {@code HTTP/1.1}
     * @param headers gives every value of a header by its case-insensitive name; an empty list or {@code null}
     *     when absent
     * @return the refusal, or {@code null} when the request is a valid opening handshake
     */
    public static Refusal check(String method, String protocol, Function<String, List<String>> headers) {
        if (!"GET".equals(method) || !"HTTP/1.1".equals(protocol)) {
            return new Refusal(400, "bad upgrade request");
        }
        List<String> version = values(headers, "Sec-WebSocket-Version");
        if (values(headers, "Host").size() != 1 || !hasToken(values(headers, "Connection"), "upgrade")
                || !validKey(values(headers, "Sec-WebSocket-Key")) || version.isEmpty()) {
            return new Refusal(400, "bad upgrade request");
        }
        if (version.size() != 1 || !VERSION.equals(version.get(0).trim())) {
            return new Refusal(426, "unsupported websocket version");
        }
        return null;
    }

    private static List<String> values(Function<String, List<String>> headers, String name) {
        List<String> v = headers.apply(name);
        return v == null ? List.of() : v;
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validKey(List<String> keys) {
        if (keys.size() != 1) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(keys.get(0).trim()).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
