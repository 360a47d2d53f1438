package dev.wsrv.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.Set;

/**
 * Container authentication for the WAR (Jakarta Security): a request with {@code Authorization: Bearer TOKEN}, where
 * the token is one {@link DemoTokens} signed, is authenticated as the user it names; every other request stays
 * anonymous. It shows that a principal the server
 * authenticated reaches the handlers as {@code ctx.principal()}. Not used by the embedded demo, which has no
 * Jakarta Security.
 */
@ApplicationScoped
public class DemoIdentity implements HttpAuthenticationMechanism {

    @Inject
    DemoTokens tokens;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String auth = request.getHeader("Authorization");
        Optional<String> user = auth != null && auth.startsWith("Bearer ")
                ? tokens.verify(auth.substring("Bearer ".length()).trim()) : Optional.empty();
        return user.map(u -> context.notifyContainerAboutLogin(u, Set.of("user"))).orElseGet(context::doNothing);
    }
}
