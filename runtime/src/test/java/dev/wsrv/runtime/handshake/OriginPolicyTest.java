package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginPolicyTest {

    private final OriginPolicy none = new OriginPolicy(List.of());
    private final OriginPolicy listed = new OriginPolicy(List.of("https://app.example.com", "HTTP://Other.example.com:8080/"));

    @Test
    void noOriginHeaderIsANonBrowserClientAndAllowed() {
        assertThat(none.allows(null, "chat.example.com")).isTrue();
        assertThat(none.allows(null, null)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "https://chat.example.com, chat.example.com",
            "https://chat.example.com, chat.example.com:443",
            "https://chat.example.com:443, chat.example.com",
            "http://chat.example.com, chat.example.com:80",
            "http://CHAT.example.com:8800, chat.EXAMPLE.com:8800",
            "http://127.0.0.1:8800, 127.0.0.1:8800",
            "http://[::1]:8800, [::1]:8800",
    })
    void sameOriginIsAllowed(String origin, String host) {
        assertThat(none.allows(origin, host)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "https://evil.example.net, chat.example.com",
            "https://chat.example.com.evil.net, chat.example.com",
            "https://chat.example.com, chat.example.com.evil.net",
            "http://chat.example.com, chat.example.com:443",
            "https://chat.example.com, chat.example.com:80",
            "http://127.0.0.1:8801, 127.0.0.1:8800",
            "null, chat.example.com",
            "file://, chat.example.com",
            "chrome-extension://abcdef, chat.example.com",
            "not a url, chat.example.com",
            "'', chat.example.com",
            "https://chat.example.com/path, chat.example.com",
    })
    void otherOriginsAreRefused(String origin, String host) {
        assertThat(none.allows(origin, host)).isFalse();
    }

    @Test
    void aSameOriginCheckNeedsAHost() {
        assertThat(none.allows("https://chat.example.com", null)).isFalse();
        assertThat(none.allows("https://chat.example.com", " ")).isFalse();
    }

    @Test
    void listedOriginsAreComparedWithoutCaseAndTrailingSlash() {
        assertThat(listed.allows("https://APP.example.com", "chat.example.com")).isTrue();
        assertThat(listed.allows("http://other.example.com:8080", "chat.example.com")).isTrue();
        assertThat(listed.allows("http://other.example.com", "chat.example.com")).isFalse();
        assertThat(listed.allows("https://app.example.com:8443", "chat.example.com")).isFalse();
    }

    @Test
    void aStarAllowsEveryOrigin() {
        assertThat(new OriginPolicy(List.of("*")).allows("https://evil.example.net", "chat.example.com")).isTrue();
    }
}
