package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one setting on a component of a settings record such as {@link WsrvConfig}: its key, its default and
 * what it does. This declaration is the only one: {@link Settings} reads the value under the key, falls back to the
 * default, and writes the README's table of settings from the descriptions.
 *
 * <p>The component's type says how the text of a value is read: {@code String}; {@code int} and {@code long} as
 * decimal numbers; {@code boolean} as {@code true} or {@code false} in any case; {@code java.time.Duration} as
 * milliseconds (the key ends in {@code Ms}); an enum by its constant's name in any case; {@code List<String>} as a
 * comma-separated list.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {

    /**
     * The key, such as {@code wsrv.idleTimeoutMs}; its environment variable is derived from it
     * ({@link Settings#envName}).
     *
     * @return the key
     */
    String key();

    /**
     * The default, written as a value of the key would be; empty for an empty list.
     *
     * @return the default
     */
    String defaultValue();

    /**
     * What the setting does, in a line of the README's table (Markdown).
     *
     * @return the description
     */
    String description();
}
