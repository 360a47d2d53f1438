package dev.wsrv;

/**
 * Decides at the HTTP upgrade whether a connection may open, and as whom. At most one bean of this type may
 * exist in an application; without one, every connection that passes the origin check and the connection
 * limits opens as the container's principal, if any.
 *
 * <p>It runs after the origin check and the connection limits, on a server thread, once per upgrade request;
 * it must not block for long. An exception it throws refuses the upgrade with HTTP 500 and is logged with an
 * error id, like a failing handler.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class TokenAuthenticator implements HandshakeAuthenticator {
 *     public Admission authenticate(Handshake handshake) {
 *         return handshake.query("token").flatMap(tokens::verify)
 *                 .map(user -> Admission.accept(user).withAttribute("tenant", user.tenant()))
 *                 .orElse(Admission.unauthorized());
 *     }
 * }
 * }</pre>
 */
public interface HandshakeAuthenticator {

    /**
     * Decides on one upgrade request.
     *
     * @param handshake the upgrade request
     * @return whether, and as whom, the connection opens; never {@code null}
     */
    Admission authenticate(Handshake handshake);
}
