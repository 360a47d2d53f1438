package dev.wsrv.demo;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The command {@code thread}, which tells what kind of thread runs the handlers: with
 * {@code wsrv.workers.threadFactory=}{@value #FACTORY} (defined by {@link DemoThreadFactory}) a virtual one where the
 * server makes them.
 */
@ApplicationScoped
public class DemoThreads {

    /** The JNDI name of the demo's thread factory, which asks for virtual threads. */
    public static final String FACTORY = "java:app/demo/virtualThreads";

    /**
     * Tells what kind of thread runs the handler.
     *
     * @return {@code name}; {@code virtual}; {@code managed}: whether it is a platform thread of a container's
     *     managed thread factory (a virtual one is not marked so)
     */
    @Command("thread")
    public Map<String, Object> thread() {
        Thread t = Thread.currentThread();
        return Map.of("name", t.getName(), "virtual", isVirtual(t), "managed", isManaged(t));
    }

    private static boolean isVirtual(Thread t) {
        try {
            // Thread.isVirtual is Java 21; the demo is built for Java 17
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static boolean isManaged(Thread t) {
        try {
            return Class.forName("jakarta.enterprise.concurrent.ManageableThread").isInstance(t);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
