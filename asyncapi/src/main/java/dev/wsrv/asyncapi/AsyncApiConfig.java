package dev.wsrv.asyncapi;

import dev.wsrv.Setting;
import dev.wsrv.Settings;
import java.util.Objects;

/**
 * The settings of the AsyncAPI document, read like every wsrv setting (MicroProfile Config, system property,
 * environment variable; see {@link Settings}). Immutable and thread-safe.
 *
 * @param enabled whether a WAR serves the document next to its endpoint
 * @param title the document's {@code info.title}
 * @param version the document's {@code info.version}, the version of the application's API
 */
public record AsyncApiConfig(
        @Setting(key = "wsrv.asyncapi.enabled", defaultValue = "false",
                description = "whether a WAR serves the AsyncAPI document at `<wsrv.path>/asyncapi.json`"
                        + " (the embedded server serves it when its builder is told to)")
        boolean enabled,
        @Setting(key = "wsrv.asyncapi.title", defaultValue = "wsrv application",
                description = "the AsyncAPI document's `info.title`")
        String title,
        @Setting(key = "wsrv.asyncapi.version", defaultValue = "1.0.0",
                description = "the AsyncAPI document's `info.version`: the version of the application's API")
        String version) {

    /** Where the document is served: this, after the endpoint's path. */
    public static final String PATH_SUFFIX = "/asyncapi.json";

    /**
     * Checks the values.
     *
     * @param enabled whether a WAR serves the document
     * @param title the title, not null
     * @param version the version, not null
     */
    public AsyncApiConfig {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Reads the settings from the environment.
     *
     * @return the settings, defaults where nothing is set
     * @throws IllegalArgumentException if a value cannot be read
     */
    public static AsyncApiConfig fromEnvironment() {
        return Settings.fromEnvironment(AsyncApiConfig.class);
    }

    /**
     * Returns the path the document is served at for an endpoint path.
     *
     * @param endpointPath the endpoint's path, such as {@code /ws}
     * @return such as {@code /ws/asyncapi.json}
     */
    public static String documentPath(String endpointPath) {
        return endpointPath.replaceAll("/+$", "") + PATH_SUFFIX;
    }
}
