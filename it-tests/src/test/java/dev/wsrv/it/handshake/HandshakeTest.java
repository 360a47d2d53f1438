package dev.wsrv.it.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handshake on the embedded server: the origin check, the handshake authenticator and the connection limits all
 * answer the upgrade request with an HTTP status, before any WebSocket traffic, and leave other sessions alone.
 */
@Timeout(60)
class HandshakeTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> b
            .config(WsrvConfig.DEFAULTS.with("wsrv.origins", List.of("https://app.example.com")))
            .beanClasses(TokenAuthenticator.class, WhoAmI.class));
    static TestClient bystander;

    @BeforeAll
    static void connectBystander() throws Exception {
        bystander = TestClient.connect(server.uri());
    }

    @AfterAll
    static void closeBystander() {
        bystander.close();
    }

    static URI withQuery(String query) {
        return URI.create(server.uri() + "?" + query);
    }

    static String own() {
        return "http://127.0.0.1:" + server.uri().getPort();
    }

    static void bystanderStillServed() throws Exception {
        assertThat(bystander.request("whoami", "by", "{}").getInt("status")).isZero();
    }

    // ------------------------------------------------------------------ origins

    @Test
    void aForeignOriginIsRefusedWith403AndLoggedAtWarn() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv")) {
            // a page on evil.example.net opening a connection with the user's cookies: cross-site hijacking
            assertThat(TestClient.upgradeStatus(server.uri(),
                    Map.of("Origin", "https://evil.example.net", "Cookie", "sid=ok-alice"))).isEqualTo(403);
            assertThat(log.atLeast(Level.WARNING)).extracting(LogRecord::getMessage)
                    .anySatisfy(m -> assertThat(m).contains("origin https://evil.example.net", "HTTP 403"));
        }
        bystanderStillServed();
    }

    @Test
    void lookalikeOriginsAreRefused() throws Exception {
        for (String origin : List.of("null", "http://127.0.0.1.evil.example.net:" + server.uri().getPort(),
                "http://127.0.0.1:" + (server.uri().getPort() + 1), "https://app.example.com.evil.net",
                "not a url")) {
            assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", origin))).as(origin).isEqualTo(403);
        }
    }

    @Test
    void noOriginSameOriginAndListedOriginsOpen() throws Exception {
        assertThat(TestClient.upgradeStatus(server.uri(), Map.of())).isEqualTo(101);
        assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", own()))).isEqualTo(101);
        assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", "https://APP.example.com"))).isEqualTo(101);
    }

    static int rawUpgrade(String... headers) throws Exception {
        return RawClient.upgradeStatus(server.uri(), headers);
    }

    @Test
    void aPageOnARebindingDomainIsRefusedThoughItsHostHeaderMatchesItsOrigin() throws Exception {
        int port = server.uri().getPort();
        // evil.example.net resolves to 127.0.0.1: the browser sends the page's own name as Host and Origin
        assertThat(rawUpgrade("Host: evil.example.net:" + port, "Origin: http://evil.example.net:" + port))
                .isEqualTo(403);
        // the names of the loopback address the server is bound to are its own
        assertThat(rawUpgrade("Host: localhost:" + port, "Origin: http://localhost:" + port)).isEqualTo(101);
        assertThat(rawUpgrade("Host: 127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port)).isEqualTo(101);
        bystanderStillServed();
    }

    @Test
    void anOriginWithAnotherSchemeOnTheSameHostAndPortIsRefused() throws Exception {
        int port = server.uri().getPort();
        for (String scheme : List.of("https", "file", "chrome-extension", "ws")) {
            assertThat(rawUpgrade("Origin: " + scheme + "://127.0.0.1:" + port)).as(scheme).isEqualTo(403);
        }
    }

    @Test
    void anEmptyOrRepeatedOriginHeaderIsRefused() throws Exception {
        assertThat(rawUpgrade("Origin: ")).isEqualTo(403);
        assertThat(rawUpgrade("Origin: " + own(), "Origin: " + own())).isEqualTo(403);
        assertThat(rawUpgrade("Origin: " + own(), "Origin: https://evil.example.net")).isEqualTo(403);
        assertThat(rawUpgrade("Origin: " + own())).isEqualTo(101);
    }

    @Test
    void allowedHostsNameTheServersOwnOrigins() throws Exception {
        try (EmbeddedServer named = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.with("wsrv.allowedHosts", List.of("chat.example.com")))
                .beanClasses(WhoAmI.class).start()) {
            int port = named.uri().getPort();
            assertThat(RawClient.upgradeStatus(named.uri(), "Host: chat.example.com:" + port,
                    "Origin: http://chat.example.com:" + port)).isEqualTo(101);
            // the list replaces the loopback names
            assertThat(RawClient.upgradeStatus(named.uri(), "Origin: http://127.0.0.1:" + port)).isEqualTo(403);
            assertThat(RawClient.upgradeStatus(named.uri(), "Host: evil.example.net:" + port,
                    "Origin: http://evil.example.net:" + port)).isEqualTo(403);
        }
    }

    @Test
    void anyOriginWhenTheListHasAStar() throws Exception {
        try (EmbeddedServer open = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.with("wsrv.origins", List.of("*"))).beanClasses(WhoAmI.class).start()) {
            assertThat(TestClient.upgradeStatus(open.uri(), Map.of("Origin", "https://evil.example.net")))
                    .isEqualTo(101);
        }
    }

    // ------------------------------------------------------------------ authentication

    @Test
    void anAcceptedPrincipalAndItsAttributesReachTheContext() throws Exception {
        try (TestClient c = TestClient.connect(withQuery("token=ok-alice"), Map.of("X-Tenant", "acme"))) {
            JsonObject data = c.request("whoami", "w1", "{}").getJsonObject("data");
            assertThat(data.getString("principal")).isEqualTo("alice");
            assertThat(data.getString("tenant")).isEqualTo("acme");
            assertThat(data.getString("address")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void theCookieIsReadToo() throws Exception {
        try (TestClient c = TestClient.connect(server.uri(), Map.of("Cookie", "theme=dark; sid=ok-bob"))) {
            assertThat(c.request("whoami", "w2", "{}").getJsonObject("data").getString("principal"))
                    .isEqualTo("bob");
        }
    }

    @Test
    void anAnonymousSessionHasNoPrincipal() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.request("whoami", "w3", "{}").getJsonObject("data").getString("principal")).isEmpty();
        }
    }

    @Test
    void badCredentialsAre401AndABannedClientIs403() throws Exception {
        assertThat(TestClient.upgradeStatus(withQuery("token=wrong"), Map.of())).isEqualTo(401);
        assertThat(TestClient.upgradeStatus(withQuery("token=banned"), Map.of())).isEqualTo(403);
        assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Cookie", "sid=forged"))).isEqualTo(401);
        bystanderStillServed();
    }

    @Test
    void aFailingAuthenticatorIs500WithAnErrorIdAndNoDetail() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv.errors")) {
            assertThat(TestClient.upgradeStatus(withQuery("token=boom"), Map.of())).isEqualTo(500);
            assertThat(log.atLeast(Level.SEVERE)).singleElement().satisfies(r -> {
                assertThat(r.getMessage()).contains("errorId=", "HandshakeAuthenticator failed");
                assertThat(r.getThrown()).hasMessage("authenticator secret detail");
            });
        }
        bystanderStillServed();
    }

    @Test
    void refusedUpgradesHoldNoConnectionSlot() throws Exception {
        try (EmbeddedServer small = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.connections", 1)
                        .with("wsrv.limits.connectionsPerAddress", 0)))
                .beanClasses(TokenAuthenticator.class, WhoAmI.class).start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(TestClient.upgradeStatus(URI.create(small.uri() + "?token=wrong"), Map.of())).isEqualTo(401);
                assertThat(TestClient.upgradeStatus(small.uri(), Map.of("Origin", "https://evil.example.net")))
                        .isEqualTo(403);
            }
            try (TestClient c = TestClient.connect(small.uri())) {
                assertThat(c.request("whoami", "only", "{}").getInt("status")).isZero();
            }
        }
    }

    // ------------------------------------------------------------------ connection limits

    @Test
    void onePerAddressOverTheLimitIs429AndASlotFreesWhenASessionCloses() throws Exception {
        try (EmbeddedServer small = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.connections", 0)
                        .with("wsrv.limits.connectionsPerAddress", 3)))
                .beanClasses(WhoAmI.class).start();
             LogCapture log = LogCapture.of("dev.wsrv")) {
            List<TestClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(TestClient.connect(small.uri()));
                }
                assertThat(TestClient.upgradeStatus(small.uri(), Map.of())).isEqualTo(429);
                assertThat(TestClient.upgradeStatus(small.uri(), Map.of())).isEqualTo(429);
                assertThat(log.atLeast(Level.WARNING)).extracting(LogRecord::getMessage)
                        .filteredOn(m -> m.contains("wsrv.limits.connectionsPerAddress")).hasSize(1)
                        .allSatisfy(m -> assertThat(m).contains("refused an upgrade from 127.0.0.1", "HTTP 429"));
                for (TestClient c : open) {
                    assertThat(c.request("whoami", "x", "{}").getInt("status")).isZero();
                }
                open.remove(0).close();
                TestClient.awaitUpgradeOpens(small.uri(), Duration.ofSeconds(10));
            } finally {
                open.forEach(TestClient::close);
            }
        }
    }

    @Test
    void oneOverTheTotalIs503() throws Exception {
        try (EmbeddedServer small = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.connections", 2)
                        .with("wsrv.limits.connectionsPerAddress", 0)))
                .beanClasses(WhoAmI.class).start();
             LogCapture log = LogCapture.of("dev.wsrv");
             TestClient a = TestClient.connect(small.uri());
             TestClient b = TestClient.connect(small.uri())) {
            assertThat(TestClient.upgradeStatus(small.uri(), Map.of())).isEqualTo(503);
            assertThat(log.atLeast(Level.WARNING)).extracting(LogRecord::getMessage)
                    .anySatisfy(m -> assertThat(m).contains("wsrv.limits.connections", "HTTP 503"));
            assertThat(a.request("whoami", "a", "{}").getInt("status")).isZero();
            assertThat(b.request("whoami", "b", "{}").getInt("status")).isZero();
        }
    }

    @Test
    void behindATrustedProxyItsForwardedForNamesTheClientAndNothingElseDoes() throws Exception {
        try (EmbeddedServer proxied = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.with("wsrv.trustedProxies", List.of("127.0.0.1"))
                        .withLimits(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.connections", 0)
                                .with("wsrv.limits.connectionsPerAddress", 1)))
                .beanClasses(TokenAuthenticator.class, WhoAmI.class).start();
             TestClient first = TestClient.connect(URI.create(proxied.uri() + "?token=ok-ann"),
                     Map.of("X-Forwarded-For", "1.2.3.4, 203.0.113.5"))) {
            // the client's own (forged) entry is ignored: the proxy's entry names it
            assertThat(first.request("whoami", "f", "{}").getJsonObject("data").getString("address"))
                    .isEqualTo("203.0.113.5");
            assertThat(TestClient.upgradeStatus(proxied.uri(), Map.of("X-Forwarded-For", "203.0.113.5")))
                    .isEqualTo(429);
            assertThat(TestClient.upgradeStatus(proxied.uri(), Map.of("X-Forwarded-For", "203.0.113.6")))
                    .isEqualTo(101);
        }
        // where 127.0.0.1 is no trusted proxy, the header changes nothing
        try (TestClient c = TestClient.connect(withQuery("token=ok-ann"), Map.of("X-Forwarded-For", "203.0.113.5"))) {
            assertThat(c.request("whoami", "g", "{}").getJsonObject("data").getString("address"))
                    .isEqualTo("127.0.0.1");
        }
    }
}
