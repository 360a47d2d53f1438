package dev.wsrv;

/**
 * Where a command's chain runs: the execution mode of a handler or middleware, declared with {@link Blocking},
 * {@link NonBlocking} or {@link RunOnVirtualThread}, given when a handler is registered in code
 * ({@link RouteRegistry#handle(String, Execution, Handler)}), or the default of every handler ({@code wsrv.execution}).
 *
 * <p>Whatever the modes, a session's requests start in arrival order and one at a time.
 */
public enum Execution {
    /** On wsrv's worker pool ({@code wsrv.workers}): the handler may block. The default. */
    BLOCKING,
    /**
     * On the thread that read the frame, when none of the session's requests runs or waits: the handler must not
     * block, or it stalls every connection that thread serves ({@code wsrv.blockedIoWarnMs} warns of it).
     */
    NON_BLOCKING,
    /**
     * On a virtual thread of its own when the JVM has them (Java 21 or later); on older JVMs like {@link #BLOCKING},
     * which a log line says once at start-up.
     */
    VIRTUAL_THREAD
}
