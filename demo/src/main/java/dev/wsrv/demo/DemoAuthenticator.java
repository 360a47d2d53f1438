package dev.wsrv.demo;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The demo's handshake check. Browsers cannot set headers on a WebSocket upgrade, so a token comes as the
 * {@code token} query parameter: a token this server signed ({@link DemoTokens}) opens the session as the user it
 * names; any other token, and an expired one, is refused with 401. Without a token the session opens as whoever the
 * server authenticated (see {@link DemoIdentity}), or anonymously.
 */
@ApplicationScoped
public class DemoAuthenticator implements HandshakeAuthenticator {

    @Inject
    DemoTokens tokens;

    @Override
    public Admission authenticate(Handshake handshake) {
        Optional<String> token = handshake.query("token");
        if (token.isEmpty()) {
            return Admission.accept();
        }
        return tokens.verify(token.get()).map(Admission::accept).orElseGet(Admission::unauthorized);
    }
}
