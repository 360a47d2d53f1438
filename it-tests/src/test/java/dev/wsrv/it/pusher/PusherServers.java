package dev.wsrv.it.pusher;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;

/** Embedded servers and small client helpers for the pusher tests. */
final class PusherServers {

    static final Class<?>[] BEANS = {PushCommands.class, PushService.class, SessionEventRecorder.class};

    private PusherServers() {
    }

    /** The default settings, with other bounds of the outbound queue. */
    static WsrvConfig config(int queueMessages, long queueBytes) {
        return WsrvConfig.DEFAULTS.with("wsrv.sendQueue.maxMessages", queueMessages)
                .with("wsrv.sendQueue.maxBytes", queueBytes);
    }

    static EmbeddedServer start(WsrvConfig config) {
        return configure(EmbeddedServer.builder().port(0), config).start();
    }

    /** The push tests' settings and beans on a builder, for the test kit's extension. */
    static EmbeddedServer.Builder configure(EmbeddedServer.Builder builder, WsrvConfig config) {
        return builder.config(config).beanClasses(BEANS);
    }

    /** Starts a server with the default settings, the 30 s idle timeout included. */
    static EmbeddedServer start() {
        return start(WsrvConfig.DEFAULTS);
    }

    static PushService service(EmbeddedServer server) {
        return server.container().select(PushService.class).get();
    }

    static String whoami(TestClient c) throws Exception {
        return c.request("whoami", "whoami", null).getJsonObject("data").getString("id");
    }

    static void login(TestClient c, String user) throws Exception {
        if (c.request("login", "login", "{\"name\":\"" + user + "\"}").getInt("status") != 0) {
            throw new AssertionError("login failed");
        }
    }

    static void join(TestClient c, String group) throws Exception {
        if (c.request("join", "join", "{\"name\":\"" + group + "\"}").getInt("status") != 0) {
            throw new AssertionError("join failed");
        }
    }
}
