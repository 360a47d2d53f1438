package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the type of a command's {@code data} for a {@link Command} method that reads it itself, through
 * {@link Context#data()}, instead of taking it as a bound parameter. The application's contract (the AsyncAPI
 * document of the {@code wsrv-asyncapi} module) then shows that type's schema, as it would for a bound parameter.
 *
 * <p>It documents; it does not bind or validate anything. On a method with a bound parameter it replaces that
 * parameter's type in the contract.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CommandData {

    /**
     * Returns the type the command's {@code data} has.
     *
     * @return the data type
     */
    Class<?> value();
}
