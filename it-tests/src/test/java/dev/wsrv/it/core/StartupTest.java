package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Admission;
import dev.wsrv.Command;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.TestClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Start-up rules: duplicate commands and a second authenticator fail naming both, and the default server listens on
 * loopback only.
 */
@Timeout(60)
class StartupTest {

    @ApplicationScoped
    public static class FirstRegister {
        @Command("register")
        public void register() {
        }
    }

    @ApplicationScoped
    public static class SecondRegister {
        @Command("register")
        public void register() {
        }
    }

    @Test
    void twoBeansForOneCommandFailStartupNamingBoth() {
        assertThatThrownBy(() -> Servers.start(FirstRegister.class, SecondRegister.class))
                .hasMessageContaining("duplicate handlers for command 'register'")
                .hasMessageContaining(FirstRegister.class.getName())
                .hasMessageContaining(SecondRegister.class.getName());
    }

    @Test
    void aBeanAndAProgrammaticHandlerForOneCommandFailStartupNamingBoth() {
        assertThatThrownBy(() -> Servers.builder(FirstRegister.class).handle("register", ctx -> ctx.ok()).start())
                .hasMessageContaining("duplicate handlers for command 'register'")
                .hasMessageContaining(FirstRegister.class.getName());
    }

    @ApplicationScoped
    public static class FirstAuthenticator implements HandshakeAuthenticator {
        @Override
        public Admission authenticate(Handshake handshake) {
            return Admission.accept();
        }
    }

    @ApplicationScoped
    public static class SecondAuthenticator implements HandshakeAuthenticator {
        @Override
        public Admission authenticate(Handshake handshake) {
            return Admission.unauthorized();
        }
    }

    @Test
    void twoHandshakeAuthenticatorsFailStartupNamingBoth() {
        assertThatThrownBy(() -> Servers.start(CoreCommands.class, FirstAuthenticator.class, SecondAuthenticator.class))
                .hasMessageContaining("more than one HandshakeAuthenticator bean")
                .hasMessageContaining(FirstAuthenticator.class.getName())
                .hasMessageContaining(SecondAuthenticator.class.getName());
    }

    @Test
    void theDefaultServerListensOnLoopbackOnly() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(CoreCommands.class).start()) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            int port = server.address().getPort();
            try (TestClient c = TestClient.connect(server.uri())) {
                assertThat(c.request("echo", "1", "1").getInt("status")).isZero();
            }
            // another loopback address (all of 127.0.0.0/8 is loopback on Linux) would reach a wildcard listener, and
            // so shows on every machine that the server listens on 127.0.0.1 alone; so do external addresses, if any
            assertThat(connects(InetAddress.getByName("127.0.0.2"), port)).as("port %d on 127.0.0.2", port).isFalse();
            List<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .toList();
            for (InetAddress a : external) {
                assertThat(connects(a, port)).as("port %d reachable on %s", port, a).isFalse();
            }
            // and the check itself can tell: 127.0.0.2 is there, a listener on it answers
            try (java.net.ServerSocket other = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
                assertThat(connects(InetAddress.getByName("127.0.0.2"), other.getLocalPort())).isTrue();
            }
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
