package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits a {@link Middleware} bean to some commands; without it a middleware runs for every command.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AppliesTo {

    /**
     * Returns the commands the annotated middleware runs for.
     *
     * @return the command names; never empty
     */
    String[] value();
}
