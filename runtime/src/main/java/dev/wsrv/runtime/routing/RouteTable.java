package dev.wsrv.runtime.routing;

import dev.wsrv.Handler;
import dev.wsrv.Middleware;
import dev.wsrv.RouteRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The immutable table from command to prepared {@link Chain}, built once at start-up by the CDI side of the router
 * through its {@link Builder} (the {@link RouteRegistry} that {@code Routes} beans see) and read by the
 * {@link Dispatcher}.
 *
 * <p>Each command's chain is every middleware that applies to it, by priority (lowest first; equal priorities
 * in registration order), then its handler. Unknown commands get the global middleware and no handler, and so
 * end with {@code -1 not implement}.
 */
public final class RouteTable {

    private final Map<String, Chain> chains;
    private final Chain unknown;
    private final RouteCatalog catalog;

    private RouteTable(Map<String, Chain> chains, Chain unknown, RouteCatalog catalog) {
        this.chains = Map.copyOf(chains);
        this.unknown = unknown;
        this.catalog = catalog;
    }

    Chain chainFor(String cmd) {
        Chain r = chains.get(cmd);
        return r != null ? r : unknown;
    }

    /**
     * Returns the commands that have a handler.
     *
     * @return the command names
     */
    public Set<String> commands() {
        return chains.keySet();
    }

    /**
     * Returns what the table knows of each command's types and the declared pushes; the dispatcher never reads it.
     *
     * @return the catalog
     */
    public RouteCatalog catalog() {
        return catalog;
    }

    /**
     * Starts a table.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects handlers and middleware; not thread-safe. Duplicate commands fail {@link #build()}. */
    public static final class Builder implements RouteRegistry {

        private record HandlerEntry(Step step, String source, RouteCatalog.CommandRoute route) {
        }

        private record MiddlewareEntry(int priority, int order, Middleware middleware, Set<String> onlyFor) {
        }

        private final Map<String, HandlerEntry> handlers = new LinkedHashMap<>();
        private final List<MiddlewareEntry> middleware = new ArrayList<>();
        private final Map<String, RouteCatalog.PushRoute> pushes = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();

        private Builder() {
        }

        @Override
        public Builder handle(String cmd, Handler handler) {
            java.util.Objects.requireNonNull(handler, "handler");
            add(cmd, handler::handle, "handler " + handler.getClass().getName(),
                    new RouteCatalog.CommandRoute(cmd == null ? "" : cmd, false, null, null));
            return this;
        }

        /**
         * Adds a {@code @Command} method.
         *
         * @param cmd the command
         * @param target the bean reference the method is called on
         * @param method the method
         * @return this builder
         */
        public Builder command(String cmd, Object target, Method method) {
            add(cmd, CommandInvoker.step(target, method), CommandInvoker.describe(method),
                    CommandInvoker.route(cmd == null ? "" : cmd, method));
            return this;
        }

        @Override
        public Builder push(String cmd, java.lang.reflect.Type data) {
            java.util.Objects.requireNonNull(data, "data");
            if (cmd == null || cmd.isEmpty()) {
                errors.add("push of " + data.getTypeName() + ": the command name must not be empty");
            } else if (pushes.putIfAbsent(cmd, new RouteCatalog.PushRoute(cmd, data)) != null) {
                errors.add("push '" + cmd + "' declared twice: " + pushes.get(cmd).data().getTypeName() + " and "
                        + data.getTypeName());
            }
            return this;
        }

        @Override
        public Builder use(int priority, Middleware m, String... onlyFor) {
            java.util.Objects.requireNonNull(m, "middleware");
            middleware.add(new MiddlewareEntry(priority, middleware.size(), m, Set.of(onlyFor)));
            return this;
        }

        private void add(String cmd, Step step, String source, RouteCatalog.CommandRoute route) {
            if (cmd == null || cmd.isEmpty()) {
                errors.add(source + ": the command name must not be empty");
                return;
            }
            HandlerEntry previous = handlers.putIfAbsent(cmd, new HandlerEntry(step, source, route));
            if (previous != null) {
                errors.add("duplicate handlers for command '" + cmd + "': " + previous.source() + " and " + source);
            }
        }

        /**
         * Builds the table.
         *
         * @return the table
         * @throws IllegalStateException naming every duplicate or invalid registration
         */
        public RouteTable build() {
            if (!errors.isEmpty()) {
                throw new IllegalStateException(String.join("; ", errors));
            }
            List<MiddlewareEntry> ordered = new ArrayList<>(middleware);
            ordered.sort(Comparator.comparingInt(MiddlewareEntry::priority).thenComparingInt(MiddlewareEntry::order));
            Map<String, Chain> chains = new HashMap<>();
            handlers.forEach((cmd, h) -> {
                List<Step> steps = chain(ordered, cmd);
                steps.add(h.step());
                chains.put(cmd, new Chain(cmd, steps.toArray(Step[]::new)));
            });
            RouteCatalog catalog = new RouteCatalog(handlers.values().stream().map(HandlerEntry::route).toList(),
                    List.copyOf(pushes.values()));
            return new RouteTable(chains, new Chain(null, chain(ordered, null).toArray(Step[]::new)), catalog);
        }

        private static List<Step> chain(List<MiddlewareEntry> ordered, String cmd) {
            List<Step> steps = new ArrayList<>();
            for (MiddlewareEntry m : ordered) {
                if (m.onlyFor().isEmpty() || (cmd != null && m.onlyFor().contains(cmd))) {
                    Middleware mw = m.middleware();
                    steps.add(mw::handle);
                }
            }
            return steps;
        }
    }
}
