package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeRequestCheckTest {

    static Map<String, List<String>> valid() {
        Map<String, List<String>> h = new HashMap<>();
        h.put("host", List.of("127.0.0.1:8800"));
        h.put("upgrade", List.of("websocket"));
        h.put("connection", List.of("keep-alive, Upgrade"));
        h.put("sec-websocket-key", List.of("dGhlIHNhbXBsZSBub25jZQ=="));
        h.put("sec-websocket-version", List.of("13"));
        return h;
    }

    static UpgradeRequestCheck.Refusal check(String method, String protocol, Map<String, List<String>> h) {
        return UpgradeRequestCheck.check(method, protocol, name -> h.get(name.toLowerCase(Locale.ROOT)));
    }

    @Test
    void aValidHandshakePasses() {
        assertThat(check("GET", "HTTP/1.1", valid())).isNull();
    }

    @Test
    void eachFlawIs400AndAnotherVersion426() {
        assertThat(check("POST", "HTTP/1.1", valid()).status()).isEqualTo(400);
        assertThat(check("GET", "HTTP/1.0", valid()).status()).isEqualTo(400);
        for (String header : List.of("host", "connection", "sec-websocket-key", "sec-websocket-version")) {
            Map<String, List<String>> h = valid();
            h.remove(header);
            assertThat(check("GET", "HTTP/1.1", h).status()).as("without %s", header).isEqualTo(400);
        }
        for (String key : List.of("not*base64", "AAECAwQFBgc=", "")) {
            Map<String, List<String>> h = valid();
            h.put("sec-websocket-key", List.of(key));
            assertThat(check("GET", "HTTP/1.1", h).status()).as("key %s", key).isEqualTo(400);
        }
        Map<String, List<String>> v8 = valid();
        v8.put("sec-websocket-version", List.of("8"));
        assertThat(check("GET", "HTTP/1.1", v8)).isEqualTo(new UpgradeRequestCheck.Refusal(426,
                "unsupported websocket version"));
    }
}
