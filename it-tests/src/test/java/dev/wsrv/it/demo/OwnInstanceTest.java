package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.demo.DemoAuthenticator;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.EmbeddedTarget;
import dev.wsrv.it.target.JavaHomes;
import dev.wsrv.it.target.PayaraMicroTarget;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.WildFlyTarget;
import dev.wsrv.runtime.WsrvEndpoint;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guarantees that need a server of their own, on every target: the endpoint at a configured {@code wsrv.path},
 * 503 past the total connection limit, refused upgrades that hold no slot, the 1008 {@code not admitted} close of a
 * session whose upgrade went around the handshake gate or that opened after {@code wsrv.handshake.openGraceMs}, and the 1001 close of every session when the server stops
 * (docs/protocol.md#close-codes-the-server-uses); on the application servers the client text in the error log line
 * escaped and cut, and on Payara and WildFly a WAR with two authenticators that fails to deploy; the workers on the
 * container's default managed thread factory.
 */
@Timeout(300)
class OwnInstanceTest {

    private static final int TOTAL = 3;
    /** How long a session may take to open; the late session of {@link LateOpenGate} takes longer. */
    private static final long GRACE_MS = 4000;
    private static final Map<String, String> SETTINGS = Map.of("wsrv.path", "/custom",
            "wsrv.limits.connections", String.valueOf(TOTAL), "wsrv.idleTimeoutMs", "60000",
            "wsrv.handshake.openGraceMs", String.valueOf(GRACE_MS));

    /** The copies of the demo WAR built by this test JVM; a copy from an earlier run may hold an older demo. */
    private static final Set<Path> BUILT = new HashSet<>();

    static Target start(String kind) {
        Assumptions.assumeTrue(kind.equals("embedded") || !"off".equals(System.getProperty("it.appServers")),
                "application servers are off in this run");
        return switch (kind) {
            // beside the wsrv endpoint at /custom, the annotated endpoint class at /ws, outside the handshake gate
            case "embedded" -> EmbeddedTarget.start(SETTINGS, List.of(LateOpenGate.class), WsrvEndpoint.class);
            case "payara" -> new PayaraMicroTarget(kind, Target.requiredPath("it.payara.jar"), JavaHomes.running(),
                    warAroundTheGate(), Target.freePorts(1)[0], SETTINGS, "", Duration.ofSeconds(120));
            case "wildfly" -> new WildFlyTarget(kind, Target.requiredPath("it.wildfly.home"), JavaHomes.running(),
                    warAroundTheGate(), Target.freePorts(1)[0], SETTINGS, "", Duration.ofSeconds(120));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * The demo WAR with {@link AroundTheGate}, {@link FailingCommand} and {@link LateOpenGate} added, under the same file name (and so the
     * same context root). The demo itself stays as it ships.
     */
    static Path warAroundTheGate() {
        return demoWarWith("demo.war", AroundTheGate.class, FailingCommand.class, LateOpenGate.class);
    }

    /**
     * A copy of the demo WAR named {@code fileName} with the classes {@code extras} added, in a directory named after
     * the first; built once per test JVM.
     */
    static synchronized Path demoWarWith(String fileName, Class<?>... extras) {
        Path war = Target.logDir().resolve(extras[0].getSimpleName()).resolve(fileName);
        if (!BUILT.add(war)) {
            return war;
        }
        try {
            Files.createDirectories(war.getParent());
            Path partial = war.resolveSibling(fileName + ".partial");
            try (ZipFile demo = new ZipFile(Target.requiredPath("it.demo.war").toFile());
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
                for (ZipEntry e : Collections.list(demo.entries())) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = demo.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
                for (Class<?> extra : extras) {
                    out.putNextEntry(new ZipEntry("WEB-INF/classes/" + extra.getName().replace('.', '/') + ".class"));
                    String file = extra.getName().substring(extra.getName().lastIndexOf('.') + 1) + ".class";
                    try (InputStream bytes = extra.getResourceAsStream(file)) {
                        bytes.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            return Files.move(partial, war, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static URI ws(Target target, String path) {
        return URI.create(target.httpBase().toString().replaceFirst("^http", "ws")).resolve(path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "payara", "wildfly"})
    void configuredPathTotalLimitRefusedUpgradesAndShutdown(String kind) throws Exception {
        Target target = start(kind);
        List<TestClient> open = new ArrayList<>();
        try {
            URI custom = ws(target, "custom");
            // refused upgrades (a foreign origin) take no slot: the limit still admits TOTAL sessions after them
            for (int i = 0; i < 2 * TOTAL; i++) {
                assertThat(TestClient.upgradeStatus(custom, Map.of("Origin", "http://evil.example"))).isEqualTo(403);
            }
            // a session that opens after its admission's grace period is closed with 1008, and holds no slot: the
            // limit still admits TOTAL sessions, each opening in time under the same grace
            try (TestClient late = TestClient.connect(custom, Map.of(LateOpenGate.HEADER,
                    String.valueOf(GRACE_MS + 500)))) {
                TestClient.Close close = late.awaitClose();
                assertThat(close.code()).isEqualTo(1008);
                assertThat(close.reason()).isEqualTo("not admitted");
            }
            for (int i = 0; i < TOTAL; i++) {
                open.add(TestClient.connect(custom));
                assertThat(open.get(i).request("whoami", "w" + i, "{}").getInt("status")).isZero();
            }
            TestClient.UpgradeAnswer full = TestClient.upgrade(custom, Map.of());
            assertThat(full.status()).as("%s answered %s", kind, full).isEqualTo(503);
            // the default wsrv.workers.threadFactory: the server's java:comp/DefaultManagedThreadFactory makes the
            // workers in a WAR; the embedded server, without JNDI, makes its own
            JsonObject thread = open.get(0).request("thread", "t", "{}");
            assertThat(thread.getInt("status")).isZero();
            assertThat(thread.getJsonObject("data").getBoolean("managed")).isEqualTo(!kind.equals("embedded"));
            assertThat(thread.getJsonObject("data").getBoolean("virtual")).isFalse();
            assertThat(thread.getJsonObject("data").getString("name")).startsWith("wsrv-worker-");

            // the default path: the application servers deploy only the configured path
            URI around = ws(target, "ws");
            if (!kind.equals("embedded")) {
                assertThat(TestClient.upgradeStatus(around, Map.of())).isEqualTo(404);
                around = ws(target, AroundTheGate.PATH.substring(1));
            }
            // an endpoint deployed around the gate (the annotated class at /ws on the embedded server, AroundTheGate
            // in the WARs) has its sessions closed with 1008, and their close gives back no slot they never held: the limit
            // is still full
            for (int i = 0; i < 2; i++) {
                try (TestClient bypass = TestClient.connect(around)) {
                    TestClient.Close close = bypass.awaitClose();
                    assertThat(close.code()).isEqualTo(1008);
                    assertThat(close.reason()).isEqualTo("not admitted");
                }
            }
            full = TestClient.upgrade(custom, Map.of());
            assertThat(full.status()).as("%s answered %s after the sessions around the gate", kind, full)
                    .isEqualTo(503);
            if (!kind.equals("embedded")) {
                clientTextInTheServerLogIsEscapedAndCut(target, open.get(0));
            }
            if (kind.equals("wildfly")) {
                aSecondAuthenticatorFailsItsDeployment(target);
            }
        } finally {
            target.close();
        }
        for (TestClient c : open) {
            TestClient.Close close = c.awaitClose();
            assertThat(close.code()).isEqualTo(1001);
            c.close();
        }
    }

    /**
     * Two authenticator beans fail a WAR's deployment on Payara, naming both: Payara Micro deploys only at its start,
     * so the server is started with the copy of the demo that carries a second one, and must report the failure.
     */
    @Test
    void aWarWithTwoAuthenticatorsFailsToDeployOnPayara() throws Exception {
        Assumptions.assumeTrue(!"off".equals(System.getProperty("it.appServers")),
                "application servers are off in this run");
        Path war = demoWarWith("twoauth.war", SecondAuthenticator.class);
        int port = Target.freePorts(1)[0];
        assertThatThrownBy(() -> new PayaraMicroTarget("payara", Target.requiredPath("it.payara.jar"),
                JavaHomes.running(), war, port, SETTINGS, "", Duration.ofSeconds(120)).close())
                .hasMessageContaining("Exception while loading the app");
        assertThat(Files.readString(Target.logDir().resolve("payara-" + port + ".log"), StandardCharsets.ISO_8859_1))
                .contains("wsrv: more than one HandshakeAuthenticator bean: " + DemoAuthenticator.class.getName()
                        + ", " + SecondAuthenticator.class.getName());
    }

    /**
     * Two authenticator beans fail a WAR's deployment, naming both: WildFly's deployment scanner takes a second WAR
     * while the server runs, and marks it failed with the cause (docs on authentication in SECURITY.md).
     */
    static void aSecondAuthenticatorFailsItsDeployment(Target target) throws Exception {
        Path deployments = Target.logDir().resolve(target.name() + "-" + target.httpBase().getPort())
                .resolve("deployments");
        Path war = deployments.resolve("twoauth.war");
        // whole or not at all: the scanner must not see half a file
        Files.copy(demoWarWith("twoauth.war", SecondAuthenticator.class), war.resolveSibling("twoauth.war.partial"));
        Files.move(war.resolveSibling("twoauth.war.partial"), war, StandardCopyOption.ATOMIC_MOVE);
        Path failed = deployments.resolve("twoauth.war.failed");
        Path deployed = deployments.resolve("twoauth.war.deployed");
        Awaitility.await("the deployment scanner's verdict on twoauth.war").atMost(Duration.ofSeconds(90))
                .until(() -> Files.exists(failed) || Files.exists(deployed));
        assertThat(deployed).doesNotExist();
        assertThat(Files.readString(failed)).contains("more than one HandshakeAuthenticator bean",
                DemoAuthenticator.class.getName(), SecondAuthenticator.class.getName());
        assertThat(TestClient.upgradeStatus(URI.create(target.wsUri().toString().replace("/demo/", "/twoauth/")),
                Map.of())).isEqualTo(404);
    }

    /**
     * The error line of a failing command carries the client's seqno escaped and cut to 200 characters, in the
     * application server's own log as on the embedded server (SECURITY.md, Logs).
     */
    static void clientTextInTheServerLogIsEscapedAndCut(Target target, TestClient c) throws Exception {
        assertThat(c.request("register", "r", "{\"uid\":" + target.httpBase().getPort() + "}").getInt("status"))
                .isZero();
        // as JSON text: an escaped line feed first
        String seqno = "\\n" + "s".repeat(198) + "CUT" + "t".repeat(40);
        c.sendText("{\"cmd\":\"fail\",\"seqno\":\"" + seqno + "\"}");
        assertThat(c.awaitJson(m -> "fail".equals(m.json().getString("cmd", null))).getInt("status")).isEqualTo(500);
        Path log = Target.logDir().resolve(target.name() + "-" + target.httpBase().getPort() + ".log");
        Awaitility.await("the error line in " + log).atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(log, StandardCharsets.ISO_8859_1).contains("cmd=fail"));
        assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
                .contains("seqno=\\u000a" + "s".repeat(198) + "C...")
                .doesNotContain("s".repeat(198) + "CUT");
    }
}
