package dev.wsrv.client;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** Accepts {@code X-Token: good-NAME} as {@code NAME}, refuses anything else with 401, and counts the attempts. */
@ApplicationScoped
public class HeaderTokenAuthenticator implements HandshakeAuthenticator {

    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Override
    public Admission authenticate(Handshake handshake) {
        ATTEMPTS.incrementAndGet();
        String token = handshake.header("X-Token").orElse("");
        return token.startsWith("good-") ? Admission.accept(token.substring(5)) : Admission.unauthorized();
    }
}
