package dev.wsrv.runtime.routing;

import dev.wsrv.Execution;
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
import java.util.logging.Logger;

/**
 * The immutable table from command to prepared {@link Chain}, built once at start-up by the CDI side of the router
 * through its {@link Builder} (the {@link RouteRegistry} that {@code Routes} beans see) and read by the
 * {@link Dispatcher}.
 *
 * <p>Each command's chain is every middleware that applies to it, by priority (lowest first; equal priorities
 * in registration order), then its handler. Unknown commands get the global middleware and no handler, and so
 * end with {@code -1 not implement}.
 *
 * <p>Each chain runs in one execution mode: its handler's (declared, else the default), combined with the modes its
 * middleware declare ({@link Modes#combine}); a middleware that declares none follows the handler.
 */
public final class RouteTable {

    private static final Logger LOG = Logger.getLogger(RouteTable.class.getName());

    private final Map<String, Chain> chains;
    private final Chain unknown;
    private final RouteCatalog catalog;
    /** The mode of every chain when they all share one, else {@code null}. */
    private final Execution uniform;

    private RouteTable(Map<String, Chain> chains, Chain unknown, RouteCatalog catalog) {
        this.chains = Map.copyOf(chains);
        this.unknown = unknown;
        this.catalog = catalog;
        Execution one = unknown.mode();
        for (Chain c : chains.values()) {
            one = c.mode() == one ? one : null;
        }
        this.uniform = one;
    }

    Chain chainFor(String cmd) {
        Chain r = chains.get(cmd);
        return r != null ? r : unknown;
    }

    /**
     * Returns the mode all chains share, so that a frame need not be read to know where it runs.
     *
     * @return the mode, or {@code null} when the chains differ
     */
    Execution uniformMode() {
        return uniform;
    }

    /**
     * Returns where a command's chain runs.
     *
     * @param cmd the command
     * @return its mode
     */
    public Execution mode(String cmd) {
        return chainFor(cmd).mode();
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

        private record HandlerEntry(Step step, String source, RouteCatalog.CommandRoute route, Execution mode) {
        }

        private record MiddlewareEntry(int priority, int order, Middleware middleware, Set<String> onlyFor,
                                       Execution mode) {
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
            return handle(cmd, Modes.declared(handler.getClass()), handler);
        }

        @Override
        public Builder handle(String cmd, Execution mode, Handler handler) {
            java.util.Objects.requireNonNull(handler, "handler");
            add(cmd, handler::handle, "handler " + handler.getClass().getName(),
                    new RouteCatalog.CommandRoute(cmd == null ? "" : cmd, false, null, null), mode);
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
                    CommandInvoker.route(cmd == null ? "" : cmd, method), Modes.ofMethod(method));
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
            return use(priority, Modes.declared(m.getClass()), m, onlyFor);
        }

        /**
         * {@inheritDoc}
         *
         * @param mode where it needs to run; {@code null} to follow the chain's handler
         */
        @Override
        public Builder use(int priority, Execution mode, Middleware m, String... onlyFor) {
            java.util.Objects.requireNonNull(m, "middleware");
            middleware.add(new MiddlewareEntry(priority, middleware.size(), m, Set.of(onlyFor), mode));
            return this;
        }

        private void add(String cmd, Step step, String source, RouteCatalog.CommandRoute route, Execution mode) {
            if (cmd == null || cmd.isEmpty()) {
                errors.add(source + ": the command name must not be empty");
                return;
            }
            HandlerEntry previous = handlers.putIfAbsent(cmd, new HandlerEntry(step, source, route, mode));
            if (previous != null) {
                errors.add("duplicate handlers for command '" + cmd + "': " + previous.source() + " and " + source);
            }
        }

        /**
         * Builds the table, handlers without a declared mode running blocking.
         *
         * @return the table
         * @throws IllegalStateException naming every duplicate or invalid registration
         */
        public RouteTable build() {
            return build(Execution.BLOCKING);
        }

        /**
         * Builds the table. On a JVM without virtual threads, the commands that would run on one run blocking, and an
         * INFO line names them.
         *
         * @param defaultMode the mode of handlers that declare none
         * @return the table
         * @throws IllegalStateException naming every duplicate or invalid registration
         */
        public RouteTable build(Execution defaultMode) {
            java.util.Objects.requireNonNull(defaultMode, "defaultMode");
            if (!errors.isEmpty()) {
                throw new IllegalStateException(String.join("; ", errors));
            }
            List<MiddlewareEntry> ordered = new ArrayList<>(middleware);
            ordered.sort(Comparator.comparingInt(MiddlewareEntry::priority).thenComparingInt(MiddlewareEntry::order));
            Map<String, Chain> chains = new HashMap<>();
            List<String> withoutVirtual = new ArrayList<>();
            handlers.forEach((cmd, h) -> {
                List<MiddlewareEntry> applying = applying(ordered, cmd);
                List<Step> steps = steps(applying);
                steps.add(h.step());
                Execution mode = mode(applying, h.mode() != null ? h.mode() : defaultMode, cmd, withoutVirtual);
                chains.put(cmd, new Chain(cmd, steps.toArray(Step[]::new), mode));
            });
            List<MiddlewareEntry> global = applying(ordered, null);
            Chain unknown = new Chain(null, steps(global).toArray(Step[]::new),
                    mode(global, defaultMode, null, withoutVirtual));
            if (!withoutVirtual.isEmpty()) {
                LOG.info(() -> "wsrv: this JVM (Java " + Runtime.version().feature() + ") has no virtual threads"
                        + " (Java 21 or later): " + String.join(", ", withoutVirtual) + " run blocking on the worker"
                        + " pool instead");
            }
            RouteCatalog catalog = new RouteCatalog(handlers.values().stream().map(HandlerEntry::route).toList(),
                    List.copyOf(pushes.values()));
            return new RouteTable(chains, unknown, catalog);
        }

        private static Execution mode(List<MiddlewareEntry> applying, Execution handler, String cmd,
                                      List<String> withoutVirtual) {
            Execution mode = handler;
            for (MiddlewareEntry m : applying) {
                mode = Modes.combine(mode, m.mode());
            }
            if (mode == Execution.VIRTUAL_THREAD && !Modes.virtualThreads()) {
                if (cmd != null) {
                    withoutVirtual.add(cmd);
                }
                return Execution.BLOCKING;
            }
            return mode;
        }

        private static List<MiddlewareEntry> applying(List<MiddlewareEntry> ordered, String cmd) {
            List<MiddlewareEntry> applying = new ArrayList<>();
            for (MiddlewareEntry m : ordered) {
                if (m.onlyFor().isEmpty() || (cmd != null && m.onlyFor().contains(cmd))) {
                    applying.add(m);
                }
            }
            return applying;
        }

        private static List<Step> steps(List<MiddlewareEntry> applying) {
            List<Step> steps = new ArrayList<>();
            for (MiddlewareEntry m : applying) {
                Middleware mw = m.middleware();
                steps.add(mw::handle);
            }
            return steps;
        }
    }
}
