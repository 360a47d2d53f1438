package dev.wsrv.runtime;

import dev.wsrv.WsrvConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Produces the application's {@link WsrvConfig}, read once from the environment. The embedded server replaces
 * it with the settings of its builder.
 */
@ApplicationScoped
public class WsrvConfigProducer {

    private volatile WsrvConfig config;

    /** Creates the producer; CDI calls this. */
    public WsrvConfigProducer() {
    }

    /**
     * Returns the settings.
     *
     * @return the settings read from MicroProfile Config, system properties and the environment
     */
    @Produces
    public WsrvConfig config() {
        WsrvConfig c = config;
        if (c == null) {
            c = WsrvConfig.fromEnvironment();
            config = c;
        }
        return c;
    }
}
