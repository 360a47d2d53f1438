package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress none = new ClientAddress(List.of());
    private final ClientAddress proxies = new ClientAddress(List.of("10.0.0.1", "10.0.0.2"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(none.of("198.51.100.7", List.of("203.0.113.5"))).isEqualTo("198.51.100.7");
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotNameAnotherClient() {
        assertThat(proxies.of("198.51.100.7", List.of("203.0.113.5"))).isEqualTo("198.51.100.7");
    }

    @Test
    void theRightmostAddressThatIsNotAProxyIsTheClient() {
        assertThat(proxies.of("10.0.0.1", List.of("203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(proxies.of("10.0.0.1", List.of("203.0.113.5, 10.0.0.2"))).isEqualTo("203.0.113.5");
        assertThat(proxies.of("10.0.0.1", List.of("203.0.113.5", "10.0.0.2"))).isEqualTo("203.0.113.5");
        assertThat(proxies.of("10.0.0.1", List.of("2001:db8::1"))).isEqualTo("2001:db8::1");
    }

    @Test
    void whatTheClientPrependedIsNotBelieved() {
        // the client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it really came from
        assertThat(proxies.of("10.0.0.1", List.of("1.2.3.4, 203.0.113.5"))).isEqualTo("203.0.113.5");
    }

    @Test
    void garbageOrOnlyProxiesFallBackToThePeer() {
        assertThat(proxies.of("10.0.0.1", List.of("evil\nline"))).isEqualTo("10.0.0.1");
        assertThat(proxies.of("10.0.0.1", List.of(" , "))).isEqualTo("10.0.0.1");
        assertThat(proxies.of("10.0.0.1", List.of("1".repeat(46)))).isEqualTo("10.0.0.1");
        assertThat(proxies.of("10.0.0.1", List.of("10.0.0.2"))).isEqualTo("10.0.0.1");
        assertThat(proxies.of("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
    }
}
