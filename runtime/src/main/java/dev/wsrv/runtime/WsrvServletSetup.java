package dev.wsrv.runtime;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

/**
 * Sets the WebSocket container's default idle timeout to wsrv's when a WAR starts.
 *
 * <p>Tyrus (Payara) checks a new session's idle time at once, with the container default, and that check can
 * race the {@code setMaxIdleTimeout} of {@code onOpen} and close a brand-new session as idle. With the default
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
        Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container instanceof ServerContainer ws) {
            long idle = WsrvConfig.fromEnvironment().idleTimeout().toMillis();
            ws.setDefaultMaxSessionIdleTimeout(idle);
            LOG.info(() -> "wsrv: default WebSocket idle timeout set to " + idle + " ms");
        }
    }
}
