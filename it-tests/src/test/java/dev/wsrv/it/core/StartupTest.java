package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Command;
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

/** Start-up rules: duplicate commands fail naming both, and the default server listens on loopback only. */
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

    @Test
    void theDefaultServerListensOnLoopbackOnly() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(CoreCommands.class).start()) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            int port = server.address().getPort();
            try (TestClient c = TestClient.connect(server.uri())) {
                assertThat(c.request("echo", "1", "1").getInt("status")).isZero();
            }
            List<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .toList();
            for (InetAddress a : external) {
                assertThat(connects(a, port)).as("port %d reachable on %s", port, a).isFalse();
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
