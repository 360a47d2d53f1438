package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Settings;
import dev.wsrv.WsrvConfig;
import dev.wsrv.it.support.ReadmeTable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings are declared once, on their record components: the README's table is the one generated from those
 * declarations, and reading, defaults and changed copies all go through them.
 */
class SettingsTest {

    /** The README's table is the one the declarations give; see {@link ReadmeTable} to rewrite it. */
    @Test
    void readmeTableIsTheOneTheDeclarationsGive() throws IOException {
        ReadmeTable.check("settings", Settings.markdownTable(WsrvConfig.class, TransportConfig.class));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        WsrvConfig d = WsrvConfig.DEFAULTS;
        assertThat(d.path()).isEqualTo("/ws");
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxMessageSize()).isEqualTo(65_536);
        assertThat(d.pushFrameType()).isEqualTo(WsrvConfig.FrameType.TEXT);
        assertThat(d.sendQueueMaxMessages()).isEqualTo(1024);
        assertThat(d.sendQueueMaxBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(d.allowedOrigins()).isEmpty();
        assertThat(d.workers()).isEqualTo(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
        assertThat(d.limits()).isEqualTo(new WsrvConfig.Limits(10_000, 1_000, 500, 1_000, 100, 64, 32, 1_024, 2_000,
                4_000));
        assertThat(WsrvConfig.Limits.NONE).isEqualTo(new WsrvConfig.Limits(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(TransportConfig.NONE).isEqualTo(new TransportConfig(Duration.ZERO, 0, 0, 0));
        assertThat(WsrvConfig.from(k -> null)).isEqualTo(d);
    }

    @Test
    void eachKeyIsReadAsItsComponentsType() {
        Map<String, String> set = Map.of("wsrv.idleTimeoutMs", "1500", "wsrv.pushFrameType", "binary",
                "wsrv.origins", " https://a.example , https://b.example ,", "wsrv.limits.maxKeys", "7",
                "wsrv.sendQueue.maxBytes", "5000000000", "wsrv.workers", "0");
        WsrvConfig c = WsrvConfig.from(set::get);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.pushFrameType()).isEqualTo(WsrvConfig.FrameType.BINARY);
        assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(c.limits().maxKeys()).isEqualTo(7);
        assertThat(c.sendQueueMaxBytes()).isEqualTo(5_000_000_000L);
        assertThat(c.workers()).isZero();
        assertThat(c.path()).isEqualTo("/ws");
    }

    @Test
    void withChangesOneSettingAtAnyDepth() {
        WsrvConfig c = WsrvConfig.DEFAULTS.with("wsrv.limits.requestBurst", 3).with("wsrv.idleTimeoutMs", "2000")
                .with("wsrv.trustedProxies", List.of("10.0.0.1")).with("wsrv.sendQueue.maxBytes", 10);
        assertThat(c.limits().requestBurst()).isEqualTo(3);
        assertThat(c.limits().requestsPerSecond()).isEqualTo(500);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.trustedProxies()).containsExactly("10.0.0.1");
        assertThat(c.sendQueueMaxBytes()).isEqualTo(10L);
        assertThat(c.path()).isEqualTo("/ws");
        assertThat(c.with("wsrv.idleTimeoutMs", 0).idleTimeout()).isZero();
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> WsrvConfig.DEFAULTS.with("wsrv.nope", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.nope");
        assertThatThrownBy(() -> WsrvConfig.DEFAULTS.with("wsrv.maxMessageSize", "big"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.maxMessageSize");
        assertThatThrownBy(() -> WsrvConfig.DEFAULTS.with("wsrv.path", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.path");
        assertThatThrownBy(() -> WsrvConfig.from(k -> k.equals("wsrv.limits.maxDepth") ? "99999999999" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.limits.maxDepth");
        assertThatThrownBy(() -> WsrvConfig.from(k -> k.equals("wsrv.limits.maxDepth") ? "-1" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.limits");
        assertThatThrownBy(() -> WsrvConfig.from(k -> k.equals("wsrv.pushFrameType") ? "JSON" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsrv.pushFrameType");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(Settings.envName("wsrv.idleTimeoutMs")).isEqualTo("WSRV_IDLE_TIMEOUT_MS");
        assertThat(Settings.declarations(WsrvConfig.class)).extracting(Settings.Declaration::env)
                .contains("WSRV_LIMITS_REQUESTS_PER_SECOND_PER_ADDRESS", "WSRV_SEND_QUEUE_MAX_BYTES");
    }
}
