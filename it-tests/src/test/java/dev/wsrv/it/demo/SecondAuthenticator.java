package dev.wsrv.it.demo;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An authenticator beside the demo's own: the copy of the demo WAR that carries it must fail to deploy, naming
 * both. Only in that copy, which {@link OwnInstanceTest} deploys.
 */
@ApplicationScoped
public class SecondAuthenticator implements HandshakeAuthenticator {

    /** Creates the bean; CDI calls this. */
    public SecondAuthenticator() {
    }

    @Override
    public Admission authenticate(Handshake handshake) {
        return Admission.accept();
    }
}
