package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.Target;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * The guarantees of {@link ExecutionModesTest} on an application server, where the thread that reads a frame is the
 * container's (Grizzly's on Payara and GlassFish, Undertow's on WildFly): a session's requests start in arrival order
 * and one at a time across modes, a non-blocking handler runs on the container's thread, a blocking one on a wsrv
 * worker, a virtual-thread one on a virtual thread when the server's JVM has them; a non-blocking handler that blocks
 * its thread and a blocking or virtual-thread one that runs too long are named in the server's log. The demo WAR
 * carries {@link ModeCommands} for it.
 */
public final class ModesOnServers {

    /** The settings the checks need: thresholds low enough to be passed quickly. */
    public static final Map<String, String> SETTINGS = Map.of("wsrv.blockedIoWarnMs", "200",
            "wsrv.slowHandlerWarnMs", "200");

    /** The targets whose JVM is Java 21 or later whatever runs the tests. */
    private static final Set<String> ON_JAVA21 = Set.of("payara7", "wildfly39", "glassfish8");

    private ModesOnServers() {
    }

    /** The classes to add to the demo WAR. */
    public static Class<?>[] warClasses() {
        return new Class<?>[] {ModeCommands.class, ModeCommands.Handlers.class, ModeCommands.BlockingMiddleware.class,
            ModeCommands.Plain.class};
    }

    /**
     * Runs the checks against an application server started with {@link #warClasses()} and {@link #SETTINGS}.
     *
     * @param target the server
     * @param log its log file
     */
    public static void check(Target target, Path log) throws Exception {
        boolean virtualThreads = ON_JAVA21.contains(target.name()) || ExecutionModesTest.JAVA21;
        int uid = target.httpBase().getPort() * 10;
        requestsStartInOrderAcrossModes(target, uid);

        JsonObject nb = askOnceIdle(target, uid + 5, "nb", r -> !r.getString("thread").startsWith("wsrv-"));
        assertThat(nb.getString("thread")).as("a non-blocking handler on the container's thread")
                .doesNotStartWith("wsrv-");
        assertThat(nb.getBoolean("virtual")).isFalse();
        assertThat(askOnceIdle(target, uid + 6, "b", r -> true).getString("thread")).startsWith("wsrv-worker-");
        String vtThread = virtualThreads ? "wsrv-virtual-" : "wsrv-worker-";
        JsonObject vt = askOnceIdle(target, uid + 7, "vt", r -> r.getString("thread").startsWith(vtThread));
        assertThat(vt.getBoolean("virtual")).isEqualTo(virtualThreads);
        assertThat(vt.getString("thread")).startsWith(vtThread);

        try (TestClient held = registered(target, uid + 8); TestClient gate = registered(target, uid + 9)) {
            String blocked = hold(held, gate, log, "stall", " cmd=stall: a non-blocking handler has held the thread"
                    + " that read its frame (");
            assertThat(blocked).contains(" ms, more than wsrv.blockedIoWarnMs=200;", "said once per command");
            assertThat(blocked.substring(blocked.indexOf("frame (") + 7)).doesNotStartWith("wsrv-");
            assertThat(hold(held, gate, log, "hold", " cmd=hold: a blocking handler has run on wsrv-worker-"))
                    .contains(" ms, more than wsrv.slowHandlerWarnMs=200; its session's next requests wait");
            assertThat(hold(held, gate, log, "holdVt", " cmd=holdVt: a " + (virtualThreads
                    ? "virtual-thread handler has run on wsrv-virtual-" : "blocking handler has run on wsrv-worker-")))
                    .contains("said once per command");
        }
    }

    private static void requestsStartInOrderAcrossModes(Target target, int uid) throws Exception {
        int count = 100;
        String[] modes = {"nb", "b", "vt"};
        Random random = new Random(7);
        String[][] plans = new String[2][count];
        for (int i = 0; i < count; i++) {
            plans[0][i] = modes[i % 3];
            plans[1][i] = modes[random.nextInt(3)];
        }
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int p = 0; p < plans.length; p++) {
                TestClient c = registered(target, uid + p);
                clients.add(c);
                for (int i = 0; i < count; i++) {
                    c.sendText(ExecutionModesTest.call(plans[p][i], "s" + i, i));
                }
            }
            for (int p = 0; p < plans.length; p++) {
                for (int i = 0; i < count; i++) {
                    JsonObject r = reply(clients.get(p));
                    assertThat(r.getString("seqno")).as("%s session %d, reply %d", target.name(), p, i)
                            .isEqualTo("s" + i);
                    assertThat(r.getInt("status")).isZero();
                    assertThat(r.getJsonObject("data").getBoolean("inOrder")).as("%s session %d, request %d (%s)"
                            + " started in order and alone", target.name(), p, i, plans[p][i]).isTrue();
                }
            }
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    /** The next reply, in order among the replies; the demo's pushes about registered users come in between. */
    private static JsonObject reply(TestClient c) throws Exception {
        return c.awaitJson(m -> !m.json().getString("cmd", "").endsWith("user_register"));
    }

    private static TestClient registered(Target target, int uid) throws Exception {
        TestClient c = TestClient.connect(target.wsUri());
        assertThat(c.request("register", "r", "{\"uid\":" + uid + "}").getInt("status")).isZero();
        return c;
    }

    /**
     * Sends {@code cmd} on a registered session until an answer has what {@code settled} asks for, at most 50 times,
     * and returns the last answer. The blocking {@code register} reply is written before its worker lets the session
     * go, and a request that arrives meanwhile runs on that worker by design (README "Where a handler runs"): only a
     * request that finds its session idle shows where its mode puts it.
     */
    private static JsonObject askOnceIdle(Target target, int uid, String cmd,
                                          java.util.function.Predicate<JsonObject> settled) throws Exception {
        try (TestClient c = registered(target, uid)) {
            JsonObject data = null;
            for (int i = 0; i < 50 && (data == null || !settled.test(data)); i++) {
                JsonObject r = c.request(cmd, cmd + i, "-1");
                assertThat(r.getInt("status")).as(cmd).isZero();
                data = r.getJsonObject("data");
            }
            return data;
        }
    }

    /** Runs a command that waits for the gate until the log has its warning; returns the warning's line. */
    private static String hold(TestClient held, TestClient gate, Path log, String cmd, String warning)
            throws Exception {
        assertThat(gate.request("closeGate", "c-" + cmd, "{}").getInt("status")).isZero();
        held.sendText(ExecutionModesTest.call(cmd, cmd, -1));
        Awaitility.await("the warning about " + cmd + " in " + log).atMost(Duration.ofSeconds(20))
                .until(() -> Files.readString(log, StandardCharsets.ISO_8859_1).contains(warning));
        assertThat(gate.request("openGate", "o-" + cmd, "{}").getInt("status")).isZero();
        JsonObject reply = reply(held);
        assertThat(reply.getString("seqno")).isEqualTo(cmd);
        assertThat(reply.getInt("status")).isZero();
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        String line = text.substring(text.indexOf(warning));
        return line.substring(0, line.indexOf('\n') < 0 ? line.length() : line.indexOf('\n'));
    }
}
