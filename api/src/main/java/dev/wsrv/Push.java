package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a push the application sends: its command and the type of its {@code data}. Declared pushes are the
 * documented ones: they appear in the application's contract (the AsyncAPI document of the {@code wsrv-asyncapi}
 * module) next to the commands. Put it on any CDI bean class, usually the one that pushes; it may be repeated.
 *
 * <pre>{@code
 * @Push(value = "user_register", data = UserRegistered.class)
 * @ApplicationScoped
 * public class UserCommands { ... }
 * }</pre>
 *
 * <p>The declaration documents; it does not check what is pushed. Two declarations of one command fail the start,
 * like two handlers of one command. {@link RouteRegistry#push} declares a push in code.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Push.List.class)
public @interface Push {

    /**
     * Returns the command the push carries in {@code cmd}.
     *
     * @return the non-empty command name
     */
    String value();

    /**
     * Returns the type of the push's {@code data}, bound the way JSON-B writes it.
     *
     * @return the data type
     */
    Class<?> data();

    /**
     * Holds several {@link Push} declarations on one class; the compiler writes it for a repeated {@code @Push}.
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {

        /**
         * Returns the declarations.
         *
         * @return the declarations, in source order
         */
        Push[] value();
    }
}
