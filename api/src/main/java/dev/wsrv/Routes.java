package dev.wsrv;

/**
 * Registers handlers and middleware in code, like the Go {@code server.Handle} and {@code server.Use}: an
 * application bean (or the embedded server's builder) that adds routes through a {@link RouteRegistry}.
 *
 * <p>Every CDI bean of this type is called once at start-up, when the routing table is built. The embedded
 * server's builder uses it too.
 */
@FunctionalInterface
public interface Routes {

    /**
     * Adds routes to the table being built.
     *
     * @param registry the registry, valid only during this call
     * @throws Exception any failure; it fails start-up
     */
    void register(RouteRegistry registry) throws Exception;
}
