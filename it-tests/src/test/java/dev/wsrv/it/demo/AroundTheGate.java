package dev.wsrv.it.demo;

import dev.wsrv.runtime.WsrvEndpoint;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;

/**
 * Deploys wsrv's endpoint a second time, at {@link #PATH}, where wsrv's handshake filter does not look: what an
 * application that maps the endpoint around the gate would get. Only in the copy of the demo WAR that
 * {@link OwnInstanceTest} deploys; the containers call it beside wsrv's own {@code ServerApplicationConfig}.
 */
public class AroundTheGate implements ServerApplicationConfig {

    /** The path of the endpoint outside the gate, relative to the context root. */
    public static final String PATH = "/around";

    /** Creates the configuration; the container calls this. */
    public AroundTheGate() {
    }

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
        return Set.of(WsrvEndpoint.config(PATH, null));
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return Set.of();
    }
}
