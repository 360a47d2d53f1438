package dev.wsrv.it.core;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.WsrvConfig;
import java.time.Duration;

/** Embedded servers for the core tests, on a free loopback port. */
final class Servers {

    private Servers() {
    }

    static EmbeddedServer.Builder builder(Class<?>... beans) {
        return configure(EmbeddedServer.builder().port(0), beans);
    }

    /** The core tests' settings and beans on a builder, for the test kit's extension. */
    static EmbeddedServer.Builder configure(EmbeddedServer.Builder builder, Class<?>... beans) {
        return builder.config(WsrvConfig.DEFAULTS).beanClasses(beans);
    }

    static EmbeddedServer start(Class<?>... beans) {
        return builder(beans).start();
    }

    static EmbeddedServer withIdleTimeout(Duration idle, Class<?>... beans) {
        return builder(beans).idleTimeout(idle).start();
    }
}
