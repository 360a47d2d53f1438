package dev.wsrv.it.pusher;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.WsrvConfig;
import java.time.Duration;

/** Embedded servers and small client helpers for the pusher tests. */
final class PusherServers {

    static final Class<?>[] BEANS = {PushCommands.class, PushService.class, SessionEventRecorder.class};

    private PusherServers() {
    }

    static WsrvConfig config(Duration idle, int queueMessages, long queueBytes) {
        return WsrvConfig.DEFAULTS.withIdleTimeout(idle).withSendQueue(queueMessages, queueBytes);
    }

    static EmbeddedServer start(WsrvConfig config) {
        return EmbeddedServer.builder().port(0).config(config).beanClasses(BEANS).start();
    }

    /**
     * Starts a server with the default settings but no idle timeout. With Tyrus 2.1.6 a session whose idle timeout
     * is set when it opens is sometimes closed "because of the idle timeout" at once: the 0 ms idle task that the
     * session schedules when it is created races with {@code setMaxIdleTimeout} in {@code @OnOpen} (seen about once
     * in 300-1,000 sessions on a loaded machine). Only the idle-timeout test needs the timer.
     */
    static EmbeddedServer start() {
        return start(config(Duration.ZERO, WsrvConfig.DEFAULTS.sendQueueMaxMessages(),
                WsrvConfig.DEFAULTS.sendQueueMaxBytes()));
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
