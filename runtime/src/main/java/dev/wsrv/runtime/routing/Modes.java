package dev.wsrv.runtime.routing;

import dev.wsrv.Blocking;
import dev.wsrv.Execution;
import dev.wsrv.NonBlocking;
import dev.wsrv.RunOnVirtualThread;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The execution modes of handlers and middleware: what an element declares, how the modes of a chain combine, and the
 * JVM's virtual threads, found at run time since the jars are built for Java 17. Thread-safe.
 */
public final class Modes {

    private static final Logger LOG = Logger.getLogger(Modes.class.getName());

    /** Makes virtual threads, or {@code null} when the JVM has none (before Java 21). */
    static final ThreadFactory VIRTUAL = findVirtualThreads();

    private Modes() {
    }

    /**
     * Returns the mode an element declares with {@link Blocking}, {@link NonBlocking} or {@link RunOnVirtualThread}.
     *
     * @param element a method or class
     * @return the mode, or {@code null} when it declares none
     * @throws IllegalStateException if it declares more than one
     */
    public static Execution declared(AnnotatedElement element) {
        List<Execution> found = new ArrayList<>(1);
        if (element.isAnnotationPresent(Blocking.class)) {
            found.add(Execution.BLOCKING);
        }
        if (element.isAnnotationPresent(NonBlocking.class)) {
            found.add(Execution.NON_BLOCKING);
        }
        if (element.isAnnotationPresent(RunOnVirtualThread.class)) {
            found.add(Execution.VIRTUAL_THREAD);
        }
        if (found.size() > 1) {
            throw new IllegalStateException("wsrv: " + element + " declares more than one execution mode: " + found);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Returns the mode of a command method: its own declaration, else its class's.
     *
     * @param method the method
     * @return the mode, or {@code null} when neither declares one
     */
    static Execution ofMethod(Method method) {
        Execution own = declared(method);
        return own != null ? own : declared(method.getDeclaringClass());
    }

    /**
     * Combines the modes of two elements of one chain, which runs on one thread: blocking wins over a virtual thread
     * (a worker can run whatever a virtual thread can, and nothing pins it), and both win over non-blocking.
     *
     * @param a a mode, or {@code null} for one that follows the others
     * @param b another
     * @return the chain's mode, or {@code null} when neither says
     */
    static Execution combine(Execution a, Execution b) {
        if (a == null) {
            return b;
        }
        return b == null || rank(a) >= rank(b) ? a : b;
    }

    private static int rank(Execution mode) {
        return switch (mode) {
            case NON_BLOCKING -> 0;
            case VIRTUAL_THREAD -> 1;
            case BLOCKING -> 2;
        };
    }

    /**
     * Tells whether this JVM runs {@link Execution#VIRTUAL_THREAD} commands on virtual threads.
     *
     * @return {@code true} on Java 21 or later
     */
    public static boolean virtualThreads() {
        return VIRTUAL != null;
    }

    /** Thread.ofVirtual().name("wsrv-virtual-", 1).factory(), through reflection: Java 21's API from a Java 17 jar. */
    private static ThreadFactory findVirtualThreads() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> api = Class.forName("java.lang.Thread$Builder");
            builder = api.getMethod("name", String.class, long.class).invoke(builder, "wsrv-virtual-", 1L);
            return (ThreadFactory) api.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // before Java 21 there is no such method (and on 19 and 20 it needs --enable-preview)
            LOG.log(Level.FINE, "wsrv: no virtual threads on this JVM", e);
            return null;
        }
    }
}
