package dev.wsrv.demo;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The demo's handshake check. Browsers cannot set headers on a WebSocket upgrade, so a token comes as the
 * {@code token} query parameter: {@code ?token=demo-NAME} opens the session as {@code NAME}, any other token is
 * refused with 401. Without a token the session opens as whoever the server authenticated (see
 * {@link DemoIdentity}), or anonymously. A real application verifies a signed token here.
 */
@ApplicationScoped
public class DemoAuthenticator implements HandshakeAuthenticator {

    /** The prefix of the demo's stand-in tokens. */
    static final String TOKEN_PREFIX = "demo-";

    @Override
    public Admission authenticate(Handshake handshake) {
        Optional<String> token = handshake.query("token");
        if (token.isEmpty()) {
            return Admission.accept();
        }
        return user(token.get()).map(Admission::accept).orElseGet(Admission::unauthorized);
    }

    /** The user a demo token names: {@code demo-} followed by 1 to 32 letters or digits. */
    static Optional<String> user(String token) {
        if (token.startsWith(TOKEN_PREFIX) && token.substring(TOKEN_PREFIX.length()).matches("[A-Za-z0-9]{1,32}")) {
            return Optional.of(token.substring(TOKEN_PREFIX.length()));
        }
        return Optional.empty();
    }
}
