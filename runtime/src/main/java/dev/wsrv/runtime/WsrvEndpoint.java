package dev.wsrv.runtime;

import dev.wsrv.runtime.cdi.RouterBean;
import dev.wsrv.runtime.codec.BinaryFrame;
import dev.wsrv.runtime.codec.BinaryFrameDecoder;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.codec.TextFrame;
import dev.wsrv.runtime.codec.TextFrameDecoder;
import dev.wsrv.runtime.session.SessionState;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * The one WebSocket endpoint of wsrv. It holds no state and does no work: every call goes to the
 * {@link Router}.
 *
 * <p>{@code @Dependent} makes it a CDI bean in annotated discovery mode, so that containers that create
 * endpoints through CDI inject the {@link RouterBean}. Other paths and the embedded server use {@link #config}.
 */
@Dependent
@ServerEndpoint(value = "/ws",
        decoders = {TextFrameDecoder.class, BinaryFrameDecoder.class},
        encoders = ReplyEncoder.class)
public class WsrvEndpoint {

    @Inject
    RouterBean routerBean;

    private Router direct;
    /** The session's state, from {@link Router#open}; {@code null} for a refused session. */
    private volatile SessionState state;

    /** Creates an endpoint whose router is injected, or looked up in CDI on first use. */
    public WsrvEndpoint() {
    }

    /**
     * Builds the configuration of the wsrv endpoint at any path, for programmatic deployment. The endpoint it
     * names is a programmatic {@code Endpoint} that behaves exactly like this class.
     *
     * <p>With a router, its limits go into the configuration's user properties
     * ({@link TextFrameDecoder#LIMITS_PROPERTY}), where the decoders find them: each embedded server decodes with
     * its own. Without one, the decoders use the configured limits.
     *
     * @param path the endpoint path
     * @param router the router every endpoint instance uses; {@code null} to look it up in CDI
     * @return the configuration
     */
    public static ServerEndpointConfig config(String path, Router router) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ProgrammaticEndpoint.class, path)
                .decoders(List.of(TextFrameDecoder.class, BinaryFrameDecoder.class))
                .encoders(List.of(ReplyEncoder.class))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new ProgrammaticEndpoint(router));
                    }
                })
                .build();
        if (router != null) {
            config.getUserProperties().put(TextFrameDecoder.LIMITS_PROPERTY, router.limits());
        }
        return config;
    }

    private Router router() {
        Router r = direct;
        if (r == null) {
            // injected: asked once per session; not injected (a container that created the endpoint without CDI):
            // looked up, since the application has exactly one router
            r = routerBean != null ? routerBean.router() : RouterBean.fromCdi();
            direct = r;
        }
        return r;
    }

    /**
     * Registers the new session.
     *
     * @param session the session
     */
    @OnOpen
    public void onOpen(Session session) {
        state = router().open(session);
    }

    /**
     * Handles a text frame.
     *
     * @param frame the decoded frame
     * @param session the session
     */
    @OnMessage
    public void onText(TextFrame frame, Session session) {
        router().message(state, frame);
    }

    /**
     * Handles a binary frame.
     *
     * @param frame the decoded frame
     * @param session the session
     */
    @OnMessage
    public void onBinary(BinaryFrame frame, Session session) {
        router().message(state, frame);
    }

    /**
     * Cleans up the closed session.
     *
     * @param session the session
     * @param reason the close reason
     */
    @OnClose
    public void onClose(Session session, CloseReason reason) {
        router().close(state, session, reason);
    }

    /**
     * Logs a transport error.
     *
     * @param session the session
     * @param error the error
     */
    @OnError
    public void onError(Session session, Throwable error) {
        router().error(state, error);
    }
}
