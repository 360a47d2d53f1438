package dev.wsrv.runtime;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.cdi.RouterBean;
import dev.wsrv.runtime.handshake.HandshakeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import java.util.EnumSet;

/**
 * Prepares a WAR for wsrv when it starts: puts the {@link HandshakeFilter} on the endpoint path, ahead of every
 * other filter, sets the WebSocket container's default idle timeout to wsrv's, and starts the router's threads
 * ({@link Router#start()}).
 *
 * <p>Tyrus (Payara) checks a new session's idle time at once, with the container default, and that check can
 * race {@code onOpen}, which sets the session's own timeout, and close a brand-new session as idle. With the default
 * already equal to wsrv's timeout there is nothing to race. Loaded only in a servlet container.
 */
@WebListener
public class WsrvServletSetup implements ServletContextListener {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(WsrvServletSetup.class.getName());

    /** Creates the listener; the servlet container calls this. */
    public WsrvServletSetup() {
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        WsrvConfig config = WsrvConfig.fromEnvironment();
        // before the container's WebSocket filter (Tyrus and Undertow map theirs after the declared ones), so that
        // origins, connection limits and the authenticator can still answer with an HTTP status
        FilterRegistration.Dynamic gate = event.getServletContext().addFilter("wsrv-handshake", HandshakeFilter.class);
        if (gate != null) {
            gate.setAsyncSupported(true);
            gate.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, config.path());
            LOG.info(() -> "wsrv: handshake filter on " + config.path());
        }
        Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container instanceof ServerContainer ws) {
            long idle = config.idleTimeout().toMillis();
            ws.setDefaultMaxSessionIdleTimeout(idle);
            LOG.info(() -> "wsrv: default WebSocket idle timeout set to " + idle + " ms");
        }
        // here the container resolves the application's JNDI names (not while CDI starts it, on GlassFish and Payara)
        RouterBean.fromCdi().start();
    }
}
