package dev.wsrv;

/**
 * Collects programmatic handlers and middleware while the routing table is built; see {@link Routes}. It is the
 * runtime's table builder seen from the application, not a registry of live sessions.
 *
 * <p>Not thread-safe; valid only during {@link Routes#register}.
 */
public interface RouteRegistry {

    /**
     * Registers the handler of a command.
     *
     * @param cmd the non-empty command
     * @param handler the handler
     * @return this registry
     */
    RouteRegistry handle(String cmd, Handler handler);

    /**
     * Registers a middleware.
     *
     * @param priority its place in the chain, lowest first, as {@code @Priority} for beans
     * @param middleware the middleware
     * @param onlyFor the commands it runs for; none means every command
     * @return this registry
     */
    RouteRegistry use(int priority, Middleware middleware, String... onlyFor);
}
