package dev.wsrv.cluster.redis;

import dev.wsrv.Admission;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;

/** Admits every upgrade, as the principal the query parameter {@code as} names, or anonymous without it. */
@ApplicationScoped
public class NodeAuthenticator implements HandshakeAuthenticator {

    @Override
    public Admission authenticate(Handshake handshake) {
        return handshake.query("as").map(Admission::accept).orElse(Admission.accept());
    }
}
