package dev.wsrv.runtime;

import dev.wsrv.runtime.cdi.RouterBean;
import dev.wsrv.runtime.codec.BinaryFrame;
import dev.wsrv.runtime.codec.TextFrame;
import dev.wsrv.runtime.session.SessionState;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * The programmatic twin of {@link WsrvEndpoint}, for deployment at a configured path and on the embedded
 * server. A container deploys a {@code ServerEndpointConfig} only for an {@link Endpoint} subclass: given the
 * annotated class instead, Tyrus reads the annotation and creates the instance itself, bypassing the
 * configurator (and so the router it carries). Public only because the container calls it reflectively.
 */
public final class ProgrammaticEndpoint extends Endpoint {

    private volatile Router router;
    /** The session's state, from {@link Router#open}; {@code null} for a refused session. */
    private volatile SessionState state;

    ProgrammaticEndpoint(Router router) {
        this.router = router;
    }

    private Router router() {
        Router r = router;
        if (r == null) {
            // inside a Jakarta EE container, where the application has exactly one CDI container
            r = RouterBean.fromCdi();
            router = r;
        }
        return r;
    }

    /**
     * Registers the session and its message handlers.
     *
     * @param session the session
     * @param config the endpoint configuration
     */
    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Router r = router();
        SessionState s = r.open(session);
        state = s;
        session.addMessageHandler(TextFrame.class, frame -> r.message(s, frame));
        session.addMessageHandler(BinaryFrame.class, frame -> r.message(s, frame));
    }

    /**
     * Cleans up the closed session.
     *
     * @param session the session
     * @param reason the close reason
     */
    @Override
    public void onClose(Session session, CloseReason reason) {
        router().close(state, session, reason);
    }

    /**
     * Logs a transport error.
     *
     * @param session the session
     * @param error the error
     */
    @Override
    public void onError(Session session, Throwable error) {
        router().error(state, error);
    }
}
