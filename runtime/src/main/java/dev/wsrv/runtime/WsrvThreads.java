package dev.wsrv.runtime;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;

/**
 * Makes the threads wsrv starts (the workers, the idle sweeper): in a WAR they come from the container's managed
 * thread factory named by {@code wsrv.workers.threadFactory} (by default {@code java:comp/DefaultManagedThreadFactory}),
 * so that they carry the application's context and the container manages them, and are virtual where the application
 * points the setting at a {@code virtual = true} definition and the server honours it; without that factory (the
 * embedded server, which has no JNDI, or the setting {@value #NONE}) they are wsrv's own daemon threads with the
 * application's class loader.
 *
 * <p>The factory is looked up by JNDI name, not injected: CDI injection of the concurrency resources is missing on some
 * servers (WildFly 39), the JNDI names are there on every EE 10 and EE 11 server. It is looked up once: when the
 * application starts ({@link #resolveEarly()}), or else on a thread of one of its components ({@link #resolve()}, or
 * with the first thread), since GlassFish and Payara resolve {@code java:app} names only inside a component (a web
 * listener, a request), not while CDI starts the application.
 * A name that does not resolve costs one WARN and the application goes on, on wsrv's own threads. Thread-safe.
 */
public final class WsrvThreads {

    private static final Logger LOG = Logger.getLogger(WsrvThreads.class.getName());

    /** The JNDI name of the thread factory every Jakarta EE server provides. */
    public static final String DEFAULT_FACTORY = "java:comp/DefaultManagedThreadFactory";

    /** The setting's value that asks for wsrv's own threads (the environment cannot give an empty value). */
    public static final String NONE = "none";

    private final String jndiName;
    private final ClassLoader loader;
    private boolean resolved;
    /** The container's factory, or {@code null} for wsrv's own threads; set once resolved. */
    private volatile ThreadFactory managed;

    private WsrvThreads(String jndiName) {
        this.jndiName = jndiName;
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        this.loader = l != null ? l : WsrvThreads.class.getClassLoader();
        this.resolved = jndiName.isBlank() || jndiName.equals(NONE);
    }

    /**
     * Returns wsrv's own threads, with the caller's context class loader (or wsrv's when it has none).
     *
     * @return the source of threads, never {@code null}
     */
    public static WsrvThreads own() {
        return new WsrvThreads(NONE);
    }

    /**
     * Returns the threads of the factory with this JNDI name, looked up later (see {@link #resolve()}); the caller's
     * context class loader goes to wsrv's own threads, should they be needed.
     *
     * @param jndiName the setting's value, not {@code null}; {@value #NONE} or empty for wsrv's own threads
     * @return the source of threads, never {@code null}
     */
    public static WsrvThreads of(String jndiName) {
        return new WsrvThreads(jndiName);
    }

    /**
     * Looks the factory up, the first time only, on the calling thread, which should be one of the application's
     * components so that {@code java:comp} and {@code java:app} names resolve. When nothing is found, the threads are
     * wsrv's own: silently when the name is the default and there is no JNDI at all (the embedded server); with one
     * WARN otherwise.
     *
     * @return {@code true} when the threads come from the container's factory
     */
    public synchronized boolean resolve() {
        return settle(true);
    }

    /**
     * Looks the factory up now if this thread can tell: it is found, or there is no JNDI at all. A name that does not
     * resolve is left for {@link #resolve()}, on a thread where the application's names may resolve.
     *
     * @return {@code true} when the threads are settled, managed or not
     */
    public synchronized boolean resolveEarly() {
        return settle(false) || resolved;
    }

    private boolean settle(boolean last) {
        if (resolved) {
            return managed != null;
        }
        Object found;
        try {
            InitialContext naming = new InitialContext();
            try {
                found = naming.lookup(jndiName);
            } finally {
                naming.close();
            }
        } catch (NoInitialContextException e) {
            resolved = true;
            if (!jndiName.equals(DEFAULT_FACTORY)) {
                fallback("there is no JNDI here");
            }
            return false;
        } catch (NamingException | RuntimeException e) {
            if (!last) {
                return false;
            }
            resolved = true;
            Throwable cause = e instanceof NamingException n && n.getRootCause() != null ? n.getRootCause() : e;
            fallback("it does not resolve: " + LogText.safe(String.valueOf(cause)));
            return false;
        }
        resolved = true;
        if (!(found instanceof ThreadFactory factory)) {
            fallback("it names a " + (found == null ? "null" : found.getClass().getName()) + ", not a thread factory");
            return false;
        }
        LOG.info(() -> "wsrv: threads from the container's " + jndiName);
        managed = factory;
        return true;
    }

    private void fallback(String why) {
        LOG.warning(() -> "wsrv: wsrv.workers.threadFactory=" + LogText.safe(jndiName) + " is not used, since " + why
                + "; wsrv runs on threads of its own");
    }

    /**
     * Makes an unstarted thread, looking the factory up first if nothing did yet.
     *
     * @param task what it runs
     * @param name its name, as it shows in thread dumps
     * @return the thread
     * @throws RejectedExecutionException if the container's factory makes none
     */
    public Thread newThread(Runnable task, String name) {
        resolve();
        ThreadFactory factory = managed;
        if (factory == null) {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        }
        Thread t = factory.newThread(task);
        if (t == null) {
            // a factory that is shutting down (the application stops) may answer so; a pool refuses the task then
            throw new RejectedExecutionException("wsrv: the container's thread factory made no thread");
        }
        try {
            t.setName(name);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "wsrv: the container's thread keeps its name", e);
        }
        return t;
    }

    /**
     * Returns a factory of threads named {@code prefix} and a number, for executors.
     *
     * @param prefix the names' start, such as {@code wsrv-worker-}
     * @return the factory
     */
    public ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> newThread(r, prefix + n.incrementAndGet());
    }
}
