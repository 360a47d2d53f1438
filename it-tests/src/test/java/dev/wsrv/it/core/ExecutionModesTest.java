package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where handlers run ({@code @Blocking}, {@code @NonBlocking}, {@code @RunOnVirtualThread}): a session's requests
 * start in arrival order and one at a time whatever their modes, a blocking handler holds no other session, a
 * non-blocking one runs on the thread that read its frame and is reported when it blocks that thread, and a
 * virtual-thread one runs on a virtual thread when the JVM has them (this suite runs on Java 17 and on Java 21+).
 */
@Timeout(90)
class ExecutionModesTest {

    static final boolean JAVA21 = Runtime.version().feature() >= 21;

    static EmbeddedServer.Builder server(boolean sameThreadIo, Class<?>... more) {
        List<Class<?>> beans = new ArrayList<>(List.of(ModeCommands.Handlers.class,
                ModeCommands.BlockingMiddleware.class, ModeCommands.Plain.class));
        beans.addAll(List.of(more));
        return Servers.builder(beans.toArray(Class<?>[]::new)).sameThreadIo(sameThreadIo)
                .config(WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.NONE));
    }

    static String call(String cmd, String seqno, int n) {
        return "{\"cmd\":\"" + cmd + "\",\"seqno\":\"" + seqno + "\",\"data\":" + n + "}";
    }

    /** Sends requests without waiting, then reads every reply: in order, each once, each having started in order. */
    @ParameterizedTest(name = "same-thread IO: {0}")
    @ValueSource(booleans = {false, true})
    void everySessionsRequestsStartInArrivalOrderAndOneAtATimeInEveryModeAndMixed(boolean sameThreadIo)
            throws Exception {
        int count = 200;
        Random random = new Random(42);
        String[][] plans = new String[5][count];
        String[] modes = {"nb", "b", "vt"};
        for (int i = 0; i < count; i++) {
            plans[0][i] = "nb";
            plans[1][i] = "b";
            plans[2][i] = "vt";
            plans[3][i] = modes[i % 3];
            plans[4][i] = modes[random.nextInt(3)];
        }
        try (EmbeddedServer server = server(sameThreadIo).start()) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (String[] plan : plans) {
                    TestClient c = TestClient.connect(server.uri());
                    clients.add(c);
                    for (int i = 0; i < count; i++) {
                        c.sendText(call(plan[i], "s" + i, i));
                    }
                    c.sendText(call("nb", "end", -1));
                }
                for (int p = 0; p < plans.length; p++) {
                    TestClient c = clients.get(p);
                    for (int i = 0; i < count; i++) {
                        JsonObject r = c.nextJson();
                        assertThat(r.getString("seqno")).as("session %d, reply %d", p, i).isEqualTo("s" + i);
                        assertThat(r.getInt("status")).as("session %d, reply %d", p, i).isZero();
                        JsonObject data = r.getJsonObject("data");
                        assertThat(data.getInt("n")).isEqualTo(i);
                        assertThat(data.getBoolean("inOrder")).as("session %d, request %d (%s) started in order"
                                + " and alone", p, i, plans[p][i]).isTrue();
                    }
                    // the next reply is the last request's: none came twice
                    assertThat(c.nextJson().getString("seqno")).isEqualTo("end");
                }
            } finally {
                clients.forEach(TestClient::close);
            }
        }
    }

    @ParameterizedTest(name = "same-thread IO: {0}")
    @ValueSource(booleans = {false, true})
    void aBlockingHandlerHoldsNoOtherSessionAndANonBlockingOneWaitsBehindItInItsOwnSession(boolean sameThreadIo)
            throws Exception {
        ModeCommands.reset();
        try (EmbeddedServer server = server(sameThreadIo, ManualTicker.class).start();
             TestClient a = TestClient.connect(server.uri()); TestClient b = TestClient.connect(server.uri());
             TestClient c = TestClient.connect(server.uri())) {
            a.sendText(call("hold", "h", -1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ModeCommands.HOLDS_STARTED.get() == 1);

            // other sessions are served meanwhile, in each mode, where its mode says
            JsonObject blocking = b.request("b", "b1", "0").getJsonObject("data");
            assertThat(blocking.getString("thread")).startsWith("wsrv-worker-");
            JsonObject nonBlocking = c.request("nb", "n1", "0").getJsonObject("data");
            assertThat(nonBlocking.getString("thread")).doesNotStartWith("wsrv-");
            assertThat(nonBlocking.getBoolean("virtual")).isFalse();

            // the held session's next non-blocking requests arrive while its blocking one runs
            long reads = ManualTicker.reads();
            a.sendText(call("nb", "a1", 0));
            a.sendText(call("nb", "a2", 1));
            // the server reads a connection's frames one after another: once it has seen the second, it has taken the
            // first
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ManualTicker.reads() >= reads + 2);
            ModeCommands.release.countDown();

            assertThat(a.nextJson().getString("seqno")).isEqualTo("h");
            JsonObject first = a.nextJson();
            assertThat(first.getString("seqno")).isEqualTo("a1");
            assertThat(first.getJsonObject("data").getBoolean("inOrder")).isTrue();
            // it waited its turn, and so ran on the worker that had the session rather than on the reading thread
            assertThat(first.getJsonObject("data").getString("thread")).startsWith("wsrv-worker-");
            assertThat(a.nextJson().getString("seqno")).isEqualTo("a2");
        }
    }

    @Test
    void modesComeFromTheMethodItsClassTheChainsMiddlewareTheCodeAndTheDefault() throws Exception {
        try (EmbeddedServer server = server(false).start()) {
            assertThat(thread(server, "plain")).as("the default, blocking").startsWith("wsrv-worker-");
            assertThat(thread(server, "nb")).as("the class's @NonBlocking").doesNotStartWith("wsrv-");
            assertThat(thread(server, "b")).as("the method's @Blocking over its class's").startsWith("wsrv-worker-");
            assertThat(thread(server, "nbBehindBlocking")).as("a @Blocking middleware moves its chain")
                    .startsWith("wsrv-worker-");
            assertThat(thread(server, "codeNb")).as("registered in code as non-blocking").doesNotStartWith("wsrv-");
        }
        try (EmbeddedServer server = server(false).config(WsrvConfig.DEFAULTS.with("wsrv.execution", "NON_BLOCKING"))
                .start()) {
            assertThat(thread(server, "plain")).as("wsrv.execution=NON_BLOCKING").doesNotStartWith("wsrv-");
            assertThat(thread(server, "b")).startsWith("wsrv-worker-");
        }
    }

    /**
     * The thread a command runs on, asked on a session of its own: a non-blocking request runs on the reading thread
     * only when nothing of its session runs, and a worker may still hold the session just after it sent a reply.
     */
    static String thread(EmbeddedServer server, String cmd) throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request(cmd, cmd, "-1");
            assertThat(r.getInt("status")).as(cmd).isZero();
            return r.getJsonObject("data").getString("thread");
        }
    }

    @Test
    void aVirtualThreadCommandRunsOnAVirtualThreadOnJava21AndElseOnAWorkerWithOneLogLine() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv"); EmbeddedServer server = server(false).start();
             TestClient c = TestClient.connect(server.uri())) {
            JsonObject data = c.request("vt", "v", "-1").getJsonObject("data");
            List<String> lines = log.messages().stream().filter(m -> m.contains("has no virtual threads")).toList();
            if (JAVA21) {
                assertThat(data.getBoolean("virtual")).isTrue();
                assertThat(data.getString("thread")).startsWith("wsrv-virtual-");
                assertThat(lines).isEmpty();
            } else {
                assertThat(data.getBoolean("virtual")).isFalse();
                assertThat(data.getString("thread")).startsWith("wsrv-worker-");
                // one line names every such command, in the order the handlers were found
                assertThat(lines).singleElement().asString().contains("(Java 17)", " run blocking on the worker pool"
                        + " instead").containsAnyOf(": vt, holdVt run", ": holdVt, vt run");
            }
        }
    }

    @Test
    void aNonBlockingHandlerThatBlocksItsThreadIsReportedOncePerCommand() throws Exception {
        ModeCommands.reset();
        WsrvConfig config = WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.NONE).with("wsrv.blockedIoWarnMs", 100);
        try (LogCapture log = LogCapture.of("dev.wsrv"); EmbeddedServer server = server(false).config(config).start();
             TestClient a = TestClient.connect(server.uri()); TestClient b = TestClient.connect(server.uri())) {
            a.sendText(call("stall", "s1", -1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> warnings(log, "stall").size() == 1);
            ModeCommands.release.countDown();
            assertThat(a.nextJson().getInt("status")).isZero();

            // the same command blocks again, and meanwhile another does; the check that reports the other has seen the
            // first blocked longer, and said nothing of it again
            ModeCommands.reset();
            a.sendText(call("stall", "s2", -1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ModeCommands.HOLDS_STARTED.get() == 1);
            b.sendText(call("stall2", "t1", -1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> warnings(log, "stall2").size() == 1);
            ModeCommands.release.countDown();
            assertThat(a.nextJson().getInt("status")).isZero();
            assertThat(b.nextJson().getInt("status")).isZero();

            List<LogRecord> stall = warnings(log, "stall");
            assertThat(stall).hasSize(1);
            assertThat(stall.get(0).getMessage()).contains("cmd=stall: a non-blocking handler has held the thread that"
                    + " read its frame (", " ms, more than wsrv.blockedIoWarnMs=100;", "said once per command");
            assertThat(stall.get(0).getThrown().getStackTrace()).anySatisfy(frame -> assertThat(frame.getClassName())
                    .isEqualTo(ModeCommands.class.getName()));
        }
    }

    /**
     * A blocking handler and a virtual-thread one that run longer than {@code wsrv.slowHandlerWarnMs} are reported once
     * per command, naming the session, the thread and where it is; the warning about reading threads stays silent.
     */
    @Test
    void aBlockingOrVirtualThreadHandlerThatRunsTooLongIsReportedOncePerCommand() throws Exception {
        WsrvConfig config = WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.NONE).with("wsrv.slowHandlerWarnMs", 100);
        try (LogCapture log = LogCapture.of("dev.wsrv"); EmbeddedServer server = server(false).config(config).start();
             TestClient a = TestClient.connect(server.uri())) {
            for (int round = 1; round <= 2; round++) {
                for (String cmd : List.of("hold", "holdVt")) {
                    ModeCommands.reset();
                    a.sendText(call(cmd, cmd + round, -1));
                    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow(log, cmd).size() == 1);
                    ModeCommands.release.countDown();
                    JsonObject reply = a.nextJson();
                    assertThat(reply.getString("seqno")).isEqualTo(cmd + round);
                    assertThat(reply.getInt("status")).isZero();
                }
            }
            LogRecord blocking = slow(log, "hold").get(0);
            assertThat(blocking.getMessage()).startsWith("wsrv session=").contains(" cmd=hold: a blocking handler has"
                    + " run on wsrv-worker-", " ms, more than wsrv.slowHandlerWarnMs=100; its session's next requests"
                    + " wait until it returns; said once per command");
            LogRecord virtual = slow(log, "holdVt").get(0);
            assertThat(virtual.getMessage()).startsWith("wsrv session=").contains(" cmd=holdVt: a "
                    + (JAVA21 ? "virtual-thread handler has run on wsrv-virtual-" : "blocking handler has run on"
                    + " wsrv-worker-"), "said once per command");
            for (LogRecord line : List.of(blocking, virtual)) {
                assertThat(line.getThrown().getStackTrace()).anySatisfy(frame -> assertThat(frame.getClassName())
                        .isEqualTo(ModeCommands.class.getName()));
            }
            // the two rounds gave one line per command, and the reading threads were never held
            assertThat(slow(log, "hold")).hasSize(1);
            assertThat(slow(log, "holdVt")).hasSize(1);
            assertThat(log.atLeast(Level.WARNING)).noneSatisfy(r -> assertThat(r.getMessage())
                    .contains("wsrv.blockedIoWarnMs"));
        }
    }

    static List<LogRecord> slow(LogCapture log, String cmd) {
        return log.atLeast(Level.WARNING).stream().filter(r -> r.getMessage().contains(" cmd=" + cmd + ": a ")
                && r.getMessage().contains("wsrv.slowHandlerWarnMs")).toList();
    }

    static List<LogRecord> warnings(LogCapture log, String cmd) {
        return log.atLeast(Level.WARNING).stream()
                .filter(r -> r.getMessage().contains(" cmd=" + cmd + ": a non-blocking handler")).toList();
    }
}
