package dev.wsrv.runtime.routing;

import dev.wsrv.Command;
import dev.wsrv.Push;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the route table knows of the application's commands and declared pushes, for documentation such as an
 * AsyncAPI document: names and Java types, nothing that runs. Built once with the {@link RouteTable}; immutable and
 * thread-safe. The lists are sorted by command.
 *
 * @param commands every command that has a handler
 * @param pushes every declared push ({@link Push}, {@link dev.wsrv.RouteRegistry#push})
 */
public record RouteCatalog(List<CommandRoute> commands, List<PushRoute> pushes) {

    /**
     * Copies and sorts the lists.
     *
     * @param commands the commands
     * @param pushes the pushes
     */
    public RouteCatalog {
        commands = commands.stream().sorted(Comparator.comparing(CommandRoute::cmd)).toList();
        pushes = pushes.stream().sorted(Comparator.comparing(PushRoute::cmd)).toList();
    }

    /**
     * Reads the catalog from classes without running anything: their {@link Command} methods and
     * {@link Push} declarations, as the route table would hold them. Handlers registered in code are not
     * known this way.
     *
     * @param classes the bean classes
     * @return the catalog
     * @throws IllegalStateException naming a command or push declared twice
     */
    public static RouteCatalog of(Iterable<Class<?>> classes) {
        Map<String, CommandRoute> commands = new LinkedHashMap<>();
        Map<String, PushRoute> pushes = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            // as CDI sees a bean class: its methods of any access, and those it inherits
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    Command command = m.getAnnotation(Command.class);
                    if (command != null
                            && commands.put(command.value(), CommandInvoker.route(command.value(), m)) != null) {
                        throw new IllegalStateException("duplicate handlers for command '" + command.value() + "'");
                    }
                }
            }
            for (Push p : c.getAnnotationsByType(Push.class)) {
                if (pushes.put(p.value(), new PushRoute(p.value(), p.data())) != null) {
                    throw new IllegalStateException("push '" + p.value() + "' declared twice");
                }
            }
        }
        return new RouteCatalog(List.copyOf(commands.values()), List.copyOf(pushes.values()));
    }

    /**
     * One command.
     *
     * @param cmd the command
     * @param typed whether the handler is a {@link dev.wsrv.Command} method, whose types are known; a handler
     *     registered in code has neither type
     * @param data the type {@code data} binds to ({@link dev.wsrv.CommandData} where declared), or {@code null}
     *     when the handler is registered in code or binds nothing
     * @param reply the type of the reply's {@code data} (a {@code CompletionStage<T>} gives {@code T}), or
     *     {@code null} when the handler is registered in code, returns {@code void} or an unparameterized stage
     */
    public record CommandRoute(String cmd, boolean typed, Type data, Type reply) {

        /**
         * Checks the command.
         *
         * @param cmd the command
         * @param typed whether the types are known
         * @param data the data type or {@code null}
         * @param reply the reply type or {@code null}
         */
        public CommandRoute {
            Objects.requireNonNull(cmd, "cmd");
        }
    }

    /**
     * One declared push.
     *
     * @param cmd the command the push carries
     * @param data the type of its {@code data}
     */
    public record PushRoute(String cmd, Type data) {

        /**
         * Checks both.
         *
         * @param cmd the command
         * @param data the data type
         */
        public PushRoute {
            Objects.requireNonNull(cmd, "cmd");
            Objects.requireNonNull(data, "data");
        }
    }
}
