package dev.wsrv.it.support;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy between a real TCP client and a real echo server, over loopback sockets. */
@Timeout(60)
class FaultProxyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EchoServer echo;
    private FaultProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.to(echo.address());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket c : clients) {
            c.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysAndCountsItsConnections() throws Exception {
        Socket a = connect();
        Socket b = connect();
        assertThat(roundTrip(a, "ping")).isEqualTo("ping");
        assertThat(roundTrip(b, "pong")).isEqualTo("pong");
        assertThat(proxy.connections()).isEqualTo(2);
        assertThat(proxy.accepted()).isEqualTo(2);

        a.close();
        assertThat(echo.endings().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("eof");
        await().atMost(WAIT).until(() -> proxy.connections() == 1);
        assertThat(roundTrip(b, "still")).isEqualTo("still");
    }

    @Test
    void viaKeepsTheUriButForTheProxysHostAndPort() throws Exception {
        URI through = proxy.via(URI.create("ws://localhost:8800/ws?token=a%20b#x"));

        assertThat(through.getScheme()).isEqualTo("ws");
        assertThat(through.getHost()).isEqualTo("127.0.0.1");
        assertThat(through.getPort()).isEqualTo(proxy.address().getPort());
        assertThat(through.getRawPath()).isEqualTo("/ws");
        assertThat(through.getQuery()).isEqualTo("token=a b");
        assertThat(through.getFragment()).isEqualTo("x");
    }

    @Test
    void cutResetsBothPeersAndLaterConnectionsAreForwarded() throws Exception {
        Socket c = forwarding();

        proxy.cut();

        assertThatThrownBy(() -> c.getInputStream().read())
                .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThat(echo.endings().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("reset");
        assertThat(proxy.connections()).isZero();
        assertThat(roundTrip(connect(), "again")).isEqualTo("again");
    }

    @Test
    void downResetsEveryNewConnectionUntilResume() throws Exception {
        Socket before = forwarding();

        proxy.down();

        assertThatThrownBy(() -> before.getInputStream().read()).isInstanceOf(SocketException.class);
        // the reset may already be there when the connect completes, or arrive at the first read
        assertThatThrownBy(() -> connect().getInputStream().read())
                .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThat(proxy.accepted()).isEqualTo(2);
        assertThat(proxy.connections()).isZero();

        proxy.resume();

        assertThat(roundTrip(connect(), "after")).isEqualTo("after");
        assertThat(proxy.connections()).isEqualTo(1);
    }

    @Test
    void stallHoldsEveryByteUntilResumeThenDeliversThemInOrder() throws Exception {
        Socket c = forwarding();

        proxy.stall();
        // more than the loopback socket buffers hold, so the writer meets the proxy's back-pressure
        byte[] payload = pattern(4 * 1024 * 1024);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                c.getOutputStream().write(payload);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await("nothing passes the stalled proxy").during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> echo.received() == 4);
        assertThat(written).isNotDone();
        assertThat(proxy.connections()).isEqualTo(1);

        proxy.resume();

        assertThat(readExactly(c.getInputStream(), payload.length)).isEqualTo(payload);
        written.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(echo.received()).isEqualTo(4 + payload.length);
    }

    @Test
    void aConnectionOpenedDuringAStallIsHeldToo() throws Exception {
        proxy.stall();
        Socket c = connect();
        c.getOutputStream().write("early".getBytes(US_ASCII));
        await("the stalled proxy connected to the target").atMost(WAIT).until(() -> proxy.connections() == 1);
        await("nothing passes the stalled proxy").during(Duration.ofMillis(300)).atMost(WAIT)
                .until(() -> echo.received() == 0);

        proxy.resume();

        assertThat(new String(readExactly(c.getInputStream(), 5), US_ASCII)).isEqualTo("early");
    }

    @Test
    void blackholeDropsBytesAndKeepsTheSocketsOpen() throws Exception {
        Socket c = forwarding();

        proxy.blackhole();
        c.getOutputStream().write("lost".getBytes(US_ASCII));
        await("the proxy dropped what was sent").atMost(WAIT).until(() -> proxy.droppedBytes() == 4);
        assertThat(proxy.connections()).isEqualTo(1);

        proxy.resume();

        // the same socket still works, and what the blackhole took never reached the server
        assertThat(roundTrip(c, "kept")).isEqualTo("kept");
        assertThat(echo.received()).isEqualTo(8);
        assertThat(echo.endings()).isEmpty();
    }

    @Test
    void closeConnectionsEndsBothSidesInOrder() throws Exception {
        Socket c = forwarding();

        proxy.closeConnections();

        assertThat(c.getInputStream().read()).isEqualTo(-1);
        assertThat(echo.endings().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("eof");
        assertThat(proxy.connections()).isZero();
        assertThat(roundTrip(connect(), "again")).isEqualTo("again");
    }

    @Test
    void retargetSendsLaterConnectionsElsewhereAndLeavesOpenOnesAlone() throws Exception {
        Socket first = forwarding();
        try (EchoServer other = new EchoServer()) {
            proxy.retarget(other.address());

            assertThat(proxy.target()).isEqualTo(other.address());
            assertThat(roundTrip(connect(), "moved")).isEqualTo("moved");
            assertThat(other.received()).isEqualTo(5);
            assertThat(roundTrip(first, "stays")).isEqualTo("stays");
            assertThat(echo.received()).isEqualTo(4 + 5);
        }
    }

    @Test
    void anUnreachableTargetResetsTheClient() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            nobody = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
        try (FaultProxy toNobody = FaultProxy.to(nobody); Socket c = new Socket()) {
            assertThatThrownBy(() -> {
                c.connect(toNobody.address(), (int) WAIT.toMillis());
                c.setSoTimeout((int) WAIT.toMillis());
                c.getInputStream().read();
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(toNobody.connections()).isZero();
            assertThat(toNobody.accepted()).isEqualTo(1);
        }
    }

    @Test
    void closeResetsEveryConnectionStopsListeningAndEndsItsThreads() throws Exception {
        Socket open = forwarding();
        proxy.stall();
        Socket stalled = connect();
        await().atMost(WAIT).until(() -> proxy.connections() == 2);

        proxy.close();

        assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThatThrownBy(() -> stalled.getInputStream().read()).isInstanceOf(SocketException.class);
        assertThat(proxy.connections()).isZero();
        assertThat(liveProxyThreads()).isEmpty();
        try (Socket late = new Socket()) {
            assertThatThrownBy(() -> late.connect(proxy.address(), (int) WAIT.toMillis()))
                    .isInstanceOf(ConnectException.class);
        }
        proxy.close();
    }

    /** Connects through the proxy and checks that "ping" (4 bytes) comes back. */
    private Socket forwarding() throws IOException {
        Socket c = connect();
        assertThat(roundTrip(c, "ping")).isEqualTo("ping");
        return c;
    }

    private Socket connect() throws IOException {
        Socket c = new Socket();
        clients.add(c);
        c.connect(proxy.address(), (int) WAIT.toMillis());
        c.setSoTimeout((int) WAIT.toMillis());
        return c;
    }

    private static String roundTrip(Socket c, String text) throws IOException {
        c.getOutputStream().write(text.getBytes(US_ASCII));
        return new String(readExactly(c.getInputStream(), text.length()), US_ASCII);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertThat(b).as("bytes before the end of the stream").hasSize(n);
        return b;
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static List<String> liveProxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith("fault-proxy-")).toList();
    }
}
