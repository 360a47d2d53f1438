package dev.wsrv.console;

/**
 * Decides whether a request may use the operator console once it is exposed beyond loopback
 * ({@code wsrv.console.exposed=true}): the application supplies one CDI bean of this type, for example one that checks
 * a bearer token or a client certificate header set by its proxy. While the console is exposed it asks this bean about
 * every request, from loopback too (behind a proxy on the same machine every request comes from loopback); without
 * such a bean an exposed console refuses everything with 403. Not asked while the console is loopback-only.
 *
 * <p>Called on the server's transport threads, concurrently: an implementation must be thread-safe and quick.
 */
@FunctionalInterface
public interface ConsoleAuthenticator {

    /**
     * Decides about one request.
     *
     * @param request the request, never {@code null}
     * @return {@code true} to let it through; {@code false} answers 401
     * @throws Exception when it cannot decide: answered 401, and logged
     */
    boolean accepts(ConsoleRequest request) throws Exception;
}
