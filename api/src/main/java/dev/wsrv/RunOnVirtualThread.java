package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a {@link Command} method, or a {@link Middleware} bean, runs on a virtual thread of its own
 * ({@link Execution#VIRTUAL_THREAD}; Java 21 or later, on older JVMs on wsrv's worker pool, which a log line says
 * once at start-up).
 *
 * <p>On a bean class it is the default of the class's command methods; on a method it wins over the class's.
 * Without any declaration a handler runs in the mode of {@code wsrv.execution}. One element declares at most one
 * mode: two on the same method or class fail the deployment. How the modes of a chain combine is said in the
 * README, "Where a handler runs".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RunOnVirtualThread {
}
