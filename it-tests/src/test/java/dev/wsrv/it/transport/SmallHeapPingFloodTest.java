package dev.wsrv.it.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded demo as its launchers run it, in a JVM of its own with a small heap and
 * {@code -XX:+ExitOnOutOfMemoryError}: a client that floods it with pings and never reads the pongs is cut off past
 * {@code wsrv.transport.maxOutboundBytes} (docs/protocol.md#close-codes-the-server-uses: no close frame reaches a
 * client that does not read, the session closes with 1013), and the server lives on and serves the next client.
 * The request rate, which pings also count against, is off here, so that the outbound bound alone stops the flood.
 */
@Timeout(120)
class SmallHeapPingFloodTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("wsrv demo listening on (ws://\\S+)");

    @Test
    void aPingFloodThatIsNeverReadIsCutOffAndTheServerLivesOn() throws Exception {
        Path log = Target.logDir().resolve("small-heap-demo.log");
        Files.createDirectories(log.getParent());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Dwsrv.limits.requestsPerSecond=0", "-Dwsrv.limits.requestBurst=0",
                "-Dwsrv.limits.requestsPerSecondPerAddress=0", "-Dwsrv.limits.requestBurstPerAddress=0",
                "-Dwsrv.limits.violationsBeforeClose=0",
                "-cp", System.getProperty("java.class.path"), DemoMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0");
        try (Target.ServerProcess server = new Target.ServerProcess("small-heap-demo", command, Map.of(),
                log.getParent(), log, null)) {
            URI ws = await("the demo listening, in " + log).atMost(WAIT)
                    .until(() -> listening(server), uri -> uri != null || !server.process().isAlive());
            assertThat(ws).as("the demo's start, in " + log).isNotNull();

            // the client's receive buffer stays as the kernel makes it, as in TransportGuardTest: a shrunk one stalls
            // loopback TCP on tiny windows rather than the server
            try (RawClient c = new RawClient(ws)) {
                int sent = TransportGuardTest.pingWithoutReading(c, 400_000);
                TransportGuardTest.Ending ending = TransportGuardTest.readToTheEnd(c);
                assertThat(ending.count(0x8)).as("close frames").isZero();
                assertThat(ending.count(0xA)).as("pongs").isLessThan(sent);
            }
            assertThat(server.process().isAlive()).as("the server's JVM, in " + log).isTrue();
            await("the transport's line on the cut connection, in " + log).atMost(WAIT)
                    .until(() -> Files.readString(log, StandardCharsets.ISO_8859_1)
                            .contains("wsrv: closed a connection whose client does not read"));
            try (TestClient next = TestClient.connect(ws)) {
                assertThat(next.request("whoami", "after", null).getInt("status")).isZero();
            }
            assertThat(server.process().isAlive()).isTrue();
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).doesNotContain("OutOfMemoryError");
        }
    }

    private static URI listening(Target.ServerProcess server) throws IOException {
        Matcher m = LISTENING.matcher(Files.readString(server.logFile(), StandardCharsets.ISO_8859_1));
        return m.find() ? URI.create(m.group(1)) : null;
    }
}
