package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a {@link Command} method, or a {@link Middleware} bean, never blocks, so that it may run on the thread
 * that read the frame ({@link Execution#NON_BLOCKING}).
 *
 * <p>On a bean class it is the default of the class's command methods; on a method it wins over the class's.
 * Without any declaration a handler runs in the mode of {@code wsrv.execution}. One element declares at most one
 * mode: two on the same method or class fail the deployment. How the modes of a chain combine is said in the
 * README, "Where a handler runs".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NonBlocking {
}
