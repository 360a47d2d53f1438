package dev.wsrv.runtime.cdi;

import dev.wsrv.Command;
import dev.wsrv.Push;
import dev.wsrv.runtime.routing.CommandInvoker;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the beans with {@link Command} methods and the {@link Push} declarations while the container discovers
 * beans, and fails the deployment when a method is unusable or two methods claim the same command (naming both).
 */
public class WsrvExtension implements Extension {

    /**
     * A bean and its command methods.
     *
     * @param bean the bean
     * @param methods its {@code @Command} methods
     */
    public record CommandBean(Bean<?> bean, List<Method> methods) {
    }

    private final List<CommandBean> commandBeans = new ArrayList<>();
    private final List<Push> pushes = new ArrayList<>();

    /** Creates the extension; the container calls this. */
    public WsrvExtension() {
    }

    <T> void collect(@Observes ProcessManagedBean<T> event) {
        List<Method> methods = new ArrayList<>();
        for (AnnotatedMethod<? super T> m : event.getAnnotatedBeanClass().getMethods()) {
            if (m.isAnnotationPresent(Command.class)) {
                methods.add(m.getJavaMember());
            }
        }
        if (!methods.isEmpty()) {
            commandBeans.add(new CommandBean(event.getBean(), List.copyOf(methods)));
        }
        pushes.addAll(List.of(event.getAnnotatedBeanClass().getJavaClass().getAnnotationsByType(Push.class)));
    }

    void validate(@Observes AfterBeanDiscovery event) {
        Map<String, Method> seen = new HashMap<>();
        for (CommandBean cb : commandBeans) {
            for (Method m : cb.methods()) {
                CommandInvoker.problems(m).forEach(p -> event.addDefinitionError(new DeploymentException(p)));
                String cmd = m.getAnnotation(Command.class).value();
                Method previous = seen.putIfAbsent(cmd, m);
                if (previous != null) {
                    event.addDefinitionError(new DeploymentException("duplicate handlers for command '" + cmd + "': "
                            + CommandInvoker.describe(previous) + " and " + CommandInvoker.describe(m)));
                }
            }
        }
    }

    /**
     * Returns the beans with command methods, as discovered.
     *
     * @return the beans
     */
    public List<CommandBean> commandBeans() {
        return List.copyOf(commandBeans);
    }

    /**
     * Returns the {@link Push} declarations of the discovered beans.
     *
     * @return the declarations
     */
    public List<Push> pushes() {
        return List.copyOf(pushes);
    }
}
