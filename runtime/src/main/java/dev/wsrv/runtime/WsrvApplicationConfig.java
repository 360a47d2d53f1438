package dev.wsrv.runtime;

import dev.wsrv.WsrvConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashSet;
import java.util.Set;

/**
 * Moves the endpoint to the configured path ({@code wsrv.path}) when it is not {@code /ws}, inside a
 * Jakarta EE container. With the default path it changes nothing.
 */
public class WsrvApplicationConfig implements ServerApplicationConfig {

    private final String path = WsrvConfig.fromEnvironment().path();

    /** Creates the configuration; the container calls this. */
    public WsrvApplicationConfig() {
    }

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
        return "/ws".equals(path) ? Set.of() : Set.of(WsrvEndpoint.config(path, null));
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        Set<Class<?>> result = new HashSet<>(scanned);
        if (!"/ws".equals(path)) {
            result.remove(WsrvEndpoint.class);
        }
        return result;
    }
}
