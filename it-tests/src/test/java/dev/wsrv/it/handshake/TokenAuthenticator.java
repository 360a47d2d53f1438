package dev.wsrv.it.handshake;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A test authenticator: {@code ?token=} or the {@code sid} cookie names the user as {@code ok-NAME}; {@code banned}
 * is forbidden, {@code boom} fails, any other token is unauthorized; no token at all opens an anonymous session.
 */
@ApplicationScoped
public class TokenAuthenticator implements HandshakeAuthenticator {

    @Override
    public Admission authenticate(Handshake handshake) {
        Optional<String> token = handshake.query("token").or(() -> handshake.cookie("sid"));
        if (token.isEmpty()) {
            return Admission.accept();
        }
        String t = token.get();
        if (t.startsWith("ok-")) {
            return Admission.accept(t.substring(3))
                    .withAttribute("tenant", handshake.header("X-Tenant").orElse("none"))
                    .withAttribute("address", handshake.remoteAddress());
        }
        return switch (t) {
            case "banned" -> Admission.forbidden();
            case "boom" -> throw new IllegalStateException("authenticator secret detail");
            default -> Admission.unauthorized();
        };
    }
}
