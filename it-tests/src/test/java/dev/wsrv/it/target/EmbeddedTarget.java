package dev.wsrv.it.target;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.Settings;
import dev.wsrv.WsrvConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The demo on the embedded server, in the test JVM. */
public final class EmbeddedTarget implements Target {

    private final EmbeddedServer server;

    private EmbeddedTarget(EmbeddedServer server) {
        this.server = server;
    }

    public static EmbeddedTarget start(Duration idleTimeout, int connectionsPerAddress) {
        WsrvConfig config = WsrvConfig.fromEnvironment();
        return new EmbeddedTarget(DemoMain.builder().port(0)
                .config(config.with("wsrv.limits.connectionsPerAddress", connectionsPerAddress))
                .idleTimeout(idleTimeout).start());
    }

    /**
     * Starts the demo with settings given as keys and values (the others from the environment), and plain annotated
     * endpoints beside it, which the handshake gate does not guard.
     */
    public static EmbeddedTarget start(Map<String, String> settings, Class<?>... endpoints) {
        return start(settings, List.of(), endpoints);
    }

    /**
     * Starts the demo with settings over the environment's, extra CDI bean classes and extra annotated endpoints.
     */
    public static EmbeddedTarget start(Map<String, String> settings, List<Class<?>> beans, Class<?>... endpoints) {
        UnaryOperator<String> lookup = key -> settings.containsKey(key) ? settings.get(key) : Settings.lookup(key);
        EmbeddedServer.Builder b = DemoMain.builder().port(0).config(WsrvConfig.from(lookup))
                .beanClasses(beans.toArray(Class<?>[]::new));
        for (Class<?> e : endpoints) {
            b.endpoint(e);
        }
        return new EmbeddedTarget(b.start());
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
