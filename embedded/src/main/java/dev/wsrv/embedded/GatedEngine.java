package dev.wsrv.embedded;

import dev.wsrv.runtime.handshake.AdmissionTicket;
import dev.wsrv.runtime.handshake.HandshakeGate;
import dev.wsrv.runtime.handshake.RequestHandshake;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.glassfish.tyrus.core.RequestContext;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.glassfish.tyrus.spi.Writer;

/**
 * The {@link HandshakeGate} on the embedded server: Tyrus' engine, asked first whether an upgrade to the wsrv
 * path may happen. A refused upgrade is answered with its HTTP status and never reaches Tyrus; an admitted one
 * continues with its {@link AdmissionTicket} as the request's user principal, which Tyrus hands to the session.
 * Upgrades to other paths (extra endpoints) pass the gate untouched. Every upgraded connection, whatever its path,
 * then reads and writes through its {@link ConnectionGuard}.
 */
final class GatedEngine implements WebSocketEngine {

    private final WebSocketEngine engine;
    private final HandshakeGate gate;
    /** The address the listener is bound to: every connection comes in on it (or, for the wildcard, on one of them). */
    private final String localAddress;

    GatedEngine(WebSocketEngine engine, HandshakeGate gate, String localAddress) {
        this.engine = engine;
        this.gate = gate;
        this.localAddress = localAddress;
    }

    @Override
    public UpgradeInfo upgrade(UpgradeRequest request, UpgradeResponse response) {
        ConnectionGuard guard = TransportGuard.takeUpgrading();
        UpgradeInfo info = gatedUpgrade(request, response);
        return guard == null || info.getStatus() != UpgradeStatus.SUCCESS ? info : guard.wrap(info);
    }

    private UpgradeInfo gatedUpgrade(UpgradeRequest request, UpgradeResponse response) {
        if (!(request instanceof RequestContext context) || !gate.path().equals(request.getRequestURI().getPath())
                || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return engine.upgrade(request, response);
        }
        HandshakeGate.Decision d = gate.admit(new RequestHandshake(request.getRequestURI().getPath(),
                request.getHeaders(), request.getParameterMap(), request.getUserPrincipal(), context.getRemoteAddr(),
                localAddress, request.isSecure()));
        if (d.refused()) {
            response.setStatus(d.status());
            response.setReasonPhrase(d.reason());
            response.getHeaders().put("Connection", List.of("close"));
            response.getHeaders().put("Content-Length", List.of("0"));
            return Refused.INSTANCE;
        }
        AdmissionTicket admitted = d.admitted();
        UpgradeInfo info;
        try {
            info = engine.upgrade(RequestContext.Builder.create(context).userPrincipal(admitted).build(), response);
        } catch (RuntimeException e) {
            admitted.release();
            throw e;
        }
        if (info.getStatus() != UpgradeStatus.SUCCESS) {
            admitted.release(); // Tyrus refused it after all: no session will give the slot back
        }
        return info;
    }

    @Override
    public void register(Class<?> endpointClass, String contextPath) throws DeploymentException {
        engine.register(endpointClass, contextPath);
    }

    @Override
    public void register(ServerEndpointConfig config, String contextPath) throws DeploymentException {
        engine.register(config, contextPath);
    }

    /** The outcome of a refused upgrade: Grizzly writes the response's status and closes nothing else. */
    private enum Refused implements UpgradeInfo {
        INSTANCE;

        @Override
        public UpgradeStatus getStatus() {
            return UpgradeStatus.HANDSHAKE_FAILED;
        }

        @Override
        public Connection createConnection(Writer writer, Connection.CloseListener closeListener) {
            return null;
        }
    }
}
