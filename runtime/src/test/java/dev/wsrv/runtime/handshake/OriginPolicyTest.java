package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginPolicyTest {

    private final OriginPolicy none = new OriginPolicy(List.of(), List.of());
    private final OriginPolicy listed = new OriginPolicy(List.of("https://app.example.com", "HTTP://Other.example.com:8080/"),
            List.of());
    private final OriginPolicy named = new OriginPolicy(List.of(), List.of("Chat.Example.com"));

    /** One Origin header on a plain connection that came in on {@code local}. */
    static String refusal(OriginPolicy p, String origin, String host, String local) {
        return p.refusal(List.of(origin), host, local, false);
    }

    @Test
    void noOriginHeaderIsANonBrowserClientAndAllowed() {
        assertThat(none.refusal(List.of(), "chat.example.com", "10.0.0.5", false)).isNull();
        assertThat(none.refusal(List.of(), null, null, true)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8800, 127.0.0.1:8800, 127.0.0.1",
            "http://localhost:8800, localhost:8800, 127.0.0.1",
            "http://LOCALHOST:8800, localhost:8800, 127.0.0.1",
            "http://[::1]:8800, [::1]:8800, 127.0.0.1",
            "http://127.0.0.1:8800, 127.0.0.1:8800, 0:0:0:0:0:0:0:1",
            "http://127.0.0.2:8800, 127.0.0.2:8800, 127.0.0.2",
            "http://10.0.0.5:8800, 10.0.0.5:8800, 10.0.0.5",
            "http://10.0.0.5, 10.0.0.5:80, 10.0.0.5",
    })
    void theServersOwnOriginIsAllowed(String origin, String host, String local) {
        assertThat(refusal(none, origin, host, local)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            // DNS rebinding: a page on a name that resolves to this server sends its own name as Host
            "http://evil.example.net:8800, evil.example.net:8800, 127.0.0.1",
            "http://chat.example.com:8800, chat.example.com:8800, 10.0.0.5",
            "http://localhost:8800, localhost:8800, 10.0.0.5",
            "http://10.0.0.6:8800, 10.0.0.6:8800, 10.0.0.5",
            // a host or port other than the one the browser connected to
            "http://127.0.0.1:8801, 127.0.0.1:8800, 127.0.0.1",
            "http://localhost:8800, 127.0.0.1:8800, 127.0.0.1",
            "http://127.0.0.1.evil.example.net:8800, 127.0.0.1:8800, 127.0.0.1",
            // another scheme with the same host and port
            "https://127.0.0.1:8800, 127.0.0.1:8800, 127.0.0.1",
            "file://, 127.0.0.1:8800, 127.0.0.1",
            "file://127.0.0.1:8800, 127.0.0.1:8800, 127.0.0.1",
            "chrome-extension://abcdef, 127.0.0.1:8800, 127.0.0.1",
            "ws://127.0.0.1:8800, 127.0.0.1:8800, 127.0.0.1",
            // not an origin
            "null, 127.0.0.1:8800, 127.0.0.1",
            "not a url, 127.0.0.1:8800, 127.0.0.1",
            "http://127.0.0.1:8800/path, 127.0.0.1:8800, 127.0.0.1",
            "http://user@127.0.0.1:8800, 127.0.0.1:8800, 127.0.0.1",
    })
    void otherOriginsAreRefused(String origin, String host, String local) {
        assertThat(refusal(none, origin, host, local)).isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void theSchemeIsTheConnections() {
        assertThat(none.refusal(List.of("https://127.0.0.1:8443"), "127.0.0.1:8443", "127.0.0.1", true)).isNull();
        assertThat(none.refusal(List.of("https://localhost"), "localhost:443", "127.0.0.1", true)).isNull();
        assertThat(none.refusal(List.of("http://127.0.0.1:8443"), "127.0.0.1:8443", "127.0.0.1", true))
                .isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void anEmptyOrRepeatedOriginHeaderIsRefused() {
        assertThat(none.refusal(List.of(""), "127.0.0.1:8800", "127.0.0.1", false)).isEqualTo(OriginPolicy.EMPTY);
        assertThat(none.refusal(List.of("  "), "127.0.0.1:8800", "127.0.0.1", false)).isEqualTo(OriginPolicy.EMPTY);
        String own = "http://127.0.0.1:8800";
        assertThat(none.refusal(List.of(own, own), "127.0.0.1:8800", "127.0.0.1", false))
                .isEqualTo(OriginPolicy.REPEATED);
        assertThat(new OriginPolicy(List.of("*"), List.of()).refusal(List.of(own, own), "127.0.0.1:8800", "127.0.0.1",
                false)).isEqualTo(OriginPolicy.REPEATED);
    }

    @Test
    void aSameOriginCheckNeedsAHostHeader() {
        assertThat(refusal(none, "http://127.0.0.1:8800", null, "127.0.0.1")).isEqualTo(OriginPolicy.FOREIGN);
        assertThat(refusal(none, "http://127.0.0.1:8800", " ", "127.0.0.1")).isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void allowedHostsReplaceTheLocalAddressesNames() {
        assertThat(named.refusal(List.of("https://chat.example.com"), "chat.example.com", "10.0.0.5", true)).isNull();
        assertThat(named.refusal(List.of("https://chat.example.com:8443"), "CHAT.example.com:8443", null, true)).isNull();
        assertThat(named.refusal(List.of("https://evil.example.net"), "evil.example.net", "10.0.0.5", true))
                .isEqualTo(OriginPolicy.FOREIGN);
        assertThat(refusal(named, "http://127.0.0.1:8800", "127.0.0.1:8800", "127.0.0.1")).isEqualTo(OriginPolicy.FOREIGN);
        // without a local address and without a list, no host is the server's own
        assertThat(refusal(none, "http://127.0.0.1:8800", "127.0.0.1:8800", null)).isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void aStarForHostsAllowsAnyHostThatMatchesTheHostHeader() {
        OriginPolicy anyHost = new OriginPolicy(List.of(), List.of("*"));
        assertThat(refusal(anyHost, "http://evil.example.net:8800", "evil.example.net:8800", "127.0.0.1")).isNull();
        assertThat(refusal(anyHost, "http://evil.example.net:8800", "127.0.0.1:8800", "127.0.0.1"))
                .isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void listedOriginsAreComparedWithoutCaseAndTrailingSlash() {
        assertThat(refusal(listed, "https://APP.example.com", "chat.example.com", "10.0.0.5")).isNull();
        assertThat(refusal(listed, "http://other.example.com:8080", "chat.example.com", "10.0.0.5")).isNull();
        assertThat(refusal(listed, "http://other.example.com", "chat.example.com", "10.0.0.5")).isEqualTo(OriginPolicy.FOREIGN);
        assertThat(refusal(listed, "https://app.example.com:8443", "chat.example.com", "10.0.0.5"))
                .isEqualTo(OriginPolicy.FOREIGN);
    }

    @Test
    void aStarAllowsEveryOrigin() {
        assertThat(refusal(new OriginPolicy(List.of("*"), List.of()), "https://evil.example.net", "chat.example.com",
                "10.0.0.5")).isNull();
    }
}
