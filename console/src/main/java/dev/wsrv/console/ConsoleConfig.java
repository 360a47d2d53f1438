package dev.wsrv.console;

import dev.wsrv.Setting;
import dev.wsrv.Settings;
import java.util.Objects;

/**
 * The settings of the operator console, read like every wsrv setting (MicroProfile Config, system property,
 * environment variable; see {@link Settings}). Immutable and thread-safe.
 *
 * @param enabled whether a WAR serves the console
 * @param path where the console is served
 * @param exposed whether requests from other addresses than loopback are let through to the
 *     {@link ConsoleAuthenticator}
 */
public record ConsoleConfig(
        @Setting(key = "wsrv.console.enabled", defaultValue = "false",
                description = "whether a WAR serves the operator console (an embedded server serves it once"
                        + " `EmbeddedConsole.install` added it to its builder)")
        boolean enabled,
        @Setting(key = "wsrv.console.path", defaultValue = "/console",
                description = "where the operator console is served, under the application's context path")
        String path,
        @Setting(key = "wsrv.console.exposed", defaultValue = "false",
                description = "`false`: the console answers loopback clients only (403 to any other);"
                        + " `true`: it answers any client that the application's `ConsoleAuthenticator` bean accepts"
                        + " (401 otherwise), and every client gets 403 while there is no such bean")
        boolean exposed) {

    /**
     * Checks the path.
     *
     * @param enabled whether a WAR serves the console
     * @param path the path: one or more segments such as {@code /console} (letters, digits, {@code . _ ~ -}, not
     *     {@code .} or {@code ..}), not ending in {@code /}, not null
     * @param exposed whether other addresses than loopback may ask
     */
    public ConsoleConfig {
        Objects.requireNonNull(path, "path");
        if (!path.matches("(/(?!\\.{1,2}(/|$))[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("wsrv.console.path must be like /console: " + path);
        }
    }

    /**
     * Reads the settings from the environment.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be read
     */
    public static ConsoleConfig fromEnvironment() {
        return Settings.fromEnvironment(ConsoleConfig.class);
    }
}
