package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportConfigTest {

    @Test
    void keysAreReadWithTheDocumentedDefaults() {
        assertThat(TransportConfig.from(k -> null)).isEqualTo(TransportConfig.DEFAULTS)
                .isEqualTo(new TransportConfig(Duration.ofSeconds(5), 1000, 100, 1_048_576));
        Map<String, String> set = Map.of("wsrv.transport.handshakeTimeoutMs", "250",
                "wsrv.transport.handshakingConnections", "0", "wsrv.transport.handshakingConnectionsPerAddress", "7",
                "wsrv.transport.maxOutboundBytes", "4096");
        assertThat(TransportConfig.from(set::get)).isEqualTo(new TransportConfig(Duration.ofMillis(250), 0, 7, 4096));
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> TransportConfig.from(k -> k.endsWith("maxOutboundBytes") ? "1MB" : null))
                .hasMessageContaining("wsrv.transport.maxOutboundBytes");
        assertThatThrownBy(() -> TransportConfig.DEFAULTS.with("wsrv.transport.maxOutboundBytes", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
