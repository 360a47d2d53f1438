package dev.wsrv.client;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides by the {@code X-Token} header: {@code good-NAME} is accepted as {@code NAME}, {@code banned-...} is refused
 * with 403, {@code busy-...} with 429 (a refusal a client retries), anything else with 401. Counts the attempts of
 * each token.
 */
@ApplicationScoped
public class HeaderTokenAuthenticator implements HandshakeAuthenticator {

    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    /** How many upgrades carried the token so far. */
    static int attempts(String token) {
        AtomicInteger n = ATTEMPTS.get(token);
        return n == null ? 0 : n.get();
    }

    @Override
    public Admission authenticate(Handshake handshake) {
        String token = handshake.header("X-Token").orElse("");
        ATTEMPTS.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        if (token.startsWith("good-")) {
            return Admission.accept(token.substring(5));
        }
        if (token.startsWith("banned-")) {
            return Admission.forbidden();
        }
        if (token.startsWith("busy-")) {
            return Admission.reject(429);
        }
        return Admission.unauthorized();
    }
}
