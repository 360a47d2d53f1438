package dev.wsrv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The option values of the client: defaults and checks. */
class OptionsTest {

    @Test
    void reconnectOptionsHaveTheDefaultsOfBothClientsAndAreChecked() {
        assertThat(ReconnectOptions.DEFAULTS)
                .isEqualTo(new ReconnectOptions(Duration.ofMillis(500), Duration.ofSeconds(30), 2, 0.5, 0));
        ReconnectOptions o = ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(50))
                .withMaxDelay(Duration.ofSeconds(2)).withFactor(1.5).withJitter(0).withMaxAttempts(7);
        assertThat(o).isEqualTo(new ReconnectOptions(Duration.ofMillis(50), Duration.ofSeconds(2), 1.5, 0, 7));

        assertThatThrownBy(() -> o.withInitialDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("wsrv: initialDelay must not be negative: PT-0.001S");
        assertThatThrownBy(() -> o.withMaxDelay(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay must be at least initialDelay");
        assertThatThrownBy(() -> o.withFactor(0.9)).hasMessage("wsrv: factor must be at least 1: 0.9");
        assertThatThrownBy(() -> o.withFactor(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withJitter(1.5)).hasMessage("wsrv: jitter must be from 0 to 1: 1.5");
        assertThatThrownBy(() -> o.withMaxAttempts(-1)).hasMessage("wsrv: maxAttempts must not be negative: -1");
        assertThatThrownBy(() -> o.withInitialDelay(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void requestOptionsCarryTheReplyTypeAndAnOptionalTimeout() {
        RequestOptions<JsonValue> t = RequestOptions.timeout(Duration.ofSeconds(3));
        assertThat(t.type()).isEqualTo(JsonValue.class);
        assertThat(t.timeout()).hasValue(Duration.ofSeconds(3));
        RequestOptions<Map> m = RequestOptions.replyAs(Map.class);
        assertThat(m.timeout()).isEmpty();
        assertThat(m.withTimeout(Duration.ZERO).timeout()).hasValue(Duration.ZERO);
        assertThat(m.withTimeout(Duration.ofSeconds(1))).isEqualTo(RequestOptions.replyAs(Map.class)
                .withTimeout(Duration.ofSeconds(1))).isNotEqualTo(m);
        Type listOfMaps = new java.util.ArrayList<Map<String, Object>>() { }.getClass().getGenericSuperclass();
        RequestOptions<List<Map<String, Object>>> g = RequestOptions.replyAs(listOfMaps);
        assertThat(g.type()).isEqualTo(listOfMaps);
        assertThatThrownBy(() -> m.withTimeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wsrv: timeout must not be negative: PT-0.005S");
        assertThatThrownBy(() -> RequestOptions.replyAs((Class<?>) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuilderChecksItsSettings() {
        WsrvClientBuilder b = WsrvClient.builder(java.net.URI.create("ws://127.0.0.1:1/ws"));
        assertThatThrownBy(() -> b.requestTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.silenceTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wsrv: silenceTimeout must not be negative: PT-0.001S");
        assertThatThrownBy(() -> b.maxMessageSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.reconnect(null)).isInstanceOf(NullPointerException.class);
    }
}
