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
     * Registers the handler of a command with its execution mode, as {@link Blocking}, {@link NonBlocking} or
     * {@link RunOnVirtualThread} declare it on a bean.
     *
     * @param cmd the non-empty command
     * @param mode where the handler runs; not null
     * @param handler the handler
     * @return this registry
     */
    RouteRegistry handle(String cmd, Execution mode, Handler handler);

    /**
     * Registers a middleware.
     *
     * @param priority its place in the chain, lowest first, as {@code @Priority} for beans
     * @param middleware the middleware
     * @param onlyFor the commands it runs for; none means every command
     * @return this registry
     */
    RouteRegistry use(int priority, Middleware middleware, String... onlyFor);

    /**
     * Registers a middleware with its execution mode; a chain runs in the mode its elements ask for together (README,
     * "Where a handler runs").
     *
     * @param priority its place in the chain, lowest first, as {@code @Priority} for beans
     * @param mode where it needs to run; not null
     * @param middleware the middleware
     * @param onlyFor the commands it runs for; none means every command
     * @return this registry
     */
    RouteRegistry use(int priority, Execution mode, Middleware middleware, String... onlyFor);

    /**
     * Declares a push the application sends, as {@link Push} does on a bean class: it documents the push in the
     * application's contract and checks nothing that is pushed.
     *
     * @param cmd the non-empty command the push carries
     * @param data the type of its {@code data}, a class or a parameterized type such as {@code List<Item>}
     * @return this registry
     */
    RouteRegistry push(String cmd, java.lang.reflect.Type data);
}
