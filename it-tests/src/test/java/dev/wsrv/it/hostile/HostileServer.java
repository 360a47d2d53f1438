package dev.wsrv.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.core.CoreCommands;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server the hostile-input properties run against, with default settings, a bystander session on it and a
 * capture of every log line, and the checks every case ends with: the bystander still answers, nothing was logged
 * at SEVERE except the documented 500 path, and no log line carries a raw line break.
 */
final class HostileServer implements AutoCloseable {

    private static final AtomicInteger SEQ = new AtomicInteger();

    final EmbeddedServer server;
    final TestClient bystander;
    final LogCapture log;
    private final Level previousLevel;

    private HostileServer() throws Exception {
        server = EmbeddedServer.builder().port(0).config(WsrvConfig.DEFAULTS).beanClasses(CoreCommands.class).start();
        Logger wsrv = Logger.getLogger("dev.wsrv");
        previousLevel = wsrv.getLevel();
        wsrv.setLevel(Level.ALL); // FINE lines too: they must not carry raw newlines either
        log = LogCapture.of("");
        bystander = TestClient.connect(server.uri());
    }

    /** Starts the server and connects the bystander. */
    static HostileServer start() throws Exception {
        return new HostileServer();
    }

    /** The checks after every case. */
    void everyoneElseIsFineAndNothingSevere() throws Exception {
        String s = "by-" + SEQ.incrementAndGet();
        assertThat(bystander.request("echo", s, "1").getInt("status")).isZero();
        for (LogRecord r : log.atLeast(Level.SEVERE)) {
            assertThat(r.getLoggerName()).as("SEVERE only on the 500 path: %s", r.getMessage()).isEqualTo("dev.wsrv.errors");
        }
        for (String m : log.messages()) {
            assertThat(m).as("log line with a raw line break").doesNotContain("\n", "\r");
        }
    }

    @Override
    public void close() {
        bystander.close();
        log.close();
        Logger.getLogger("dev.wsrv").setLevel(previousLevel);
        server.close();
    }

    static void assertNoLeak(String reply) {
        assertThat(reply).doesNotContain("Exception", "\tat ", "java.", "jakarta.", "dev.wsrv", "org.glassfish",
                "org.eclipse");
    }

    /** Sends a follow-up echo on the same connection and checks it is answered. */
    static void stillUsable(TestClient c) throws Exception {
        String s = "after-" + SEQ.incrementAndGet();
        JsonObject r = c.request("echo", s, "[1]");
        assertThat(r.getInt("status")).isZero();
    }

    static void assertReply(JsonObject r, String cmd, String seqno, int status) {
        assertThat(r.getString("cmd")).isEqualTo(cmd);
        assertThat(r.getString("seqno")).isEqualTo(seqno);
        assertThat(r.getInt("status")).isEqualTo(status);
        assertNoLeak(r.toString());
    }
}
