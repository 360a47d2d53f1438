package dev.wsrv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.runtime.session.SessionRegistry;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RouterErrorTest {

    @Test
    void aTransportErrorIsOneThrottledWarnLineWithoutAStackTrace() {
        Router router = new Router(WsrvConfig.DEFAULTS.with("wsrv.idleTimeoutMs", 0), new SessionRegistry(), null,
                event -> { }, Ticker.SYSTEM, WsrvThreads.own());
        Logger logger = Logger.getLogger(Router.class.getName());
        Level before = logger.getLevel();
        logger.setLevel(Level.FINE);
        try (LogCapture log = LogCapture.of(Router.class.getName())) {
            for (int i = 0; i < 20; i++) {
                router.error(null, new IllegalArgumentException("Buffer\noverflow " + i));
                router.error(null, new IOException("connection reset"));
            }
            assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(r -> {
                assertThat(r.getThrown()).isNull();
                assertThat(r.getMessage()).contains("transport error", "IllegalArgumentException: Buffer\\u000aoverflow 0")
                        .doesNotContain("\n");
            });
            // the detail is still there for whoever turns FINE on
            assertThat(log.records()).filteredOn(r -> r.getLevel() == Level.FINE).extracting(LogRecord::getThrown)
                    .hasSize(40);
        } finally {
            router.close();
            logger.setLevel(before);
        }
    }
}
