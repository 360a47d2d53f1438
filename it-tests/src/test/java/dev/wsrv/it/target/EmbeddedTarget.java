package dev.wsrv.it.target;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.runtime.WsrvConfig;
import java.net.URI;
import java.time.Duration;

/** The demo on the embedded server, in the test JVM. */
public final class EmbeddedTarget implements Target {

    private final EmbeddedServer server;

    private EmbeddedTarget(EmbeddedServer server) {
        this.server = server;
    }

    public static EmbeddedTarget start(Duration idleTimeout, int connectionsPerAddress) {
        WsrvConfig config = WsrvConfig.fromEnvironment();
        return new EmbeddedTarget(DemoMain.builder().port(0)
                .config(config.withLimits(config.limits().withConnections(config.limits().connections(),
                        connectionsPerAddress)))
                .idleTimeout(idleTimeout).start());
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public URI wsUri() {
        return server.uri();
    }

    @Override
    public URI httpBase() {
        return server.httpUri();
    }


    @Override
    public void close() {
        server.close();
    }
}
