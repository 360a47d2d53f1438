package dev.wsrv.runtime.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the client's IP address behind trusted reverse proxies. Each proxy appends the address it received the
 * request from to {@code X-Forwarded-For}, so the entries are read from the right: trusted proxies are skipped,
 * and the first other entry is the client. Entries to its left came from the client and may be forged. Without
 * trusted proxies, or from a peer that is not one, the header is ignored. Immutable.
 */
final class ClientAddress {

    private static final int MAX_LENGTH = 45; // the longest textual IPv6 address

    private final Set<String> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = Set.copyOf(trustedProxies);
    }

    /**
     * Returns the client's address.
     *
     * @param peer the address the connection comes from
     * @param forwardedFor the values of the {@code X-Forwarded-For} headers, in order
     * @return the client's address: the peer's, or the one the trusted proxies name
     */
    String of(String peer, List<String> forwardedFor) {
        if (!trusted.contains(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!trusted.contains(hop)) {
                return plausible(hop) ? hop : peer;
            }
        }
        return peer; // only proxies: the request started at one of them
    }

    /** An IPv4 or IPv6 address in text: hex digits, dots and colons, not too long. */
    private static boolean plausible(String hop) {
        if (hop.isEmpty() || hop.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < hop.length(); i++) {
            char c = hop.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
