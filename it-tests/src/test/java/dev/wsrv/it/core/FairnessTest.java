package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One client must not starve the others: the request budget of a client address, the limits counted when a frame
 * arrives, and turns between sessions. The servers count time with {@link ManualTicker}, so the outcomes are exact
 * however fast the machine is.
 */
@Timeout(90)
class FairnessTest {

    /** Another client address: on Linux all of 127.0.0.0/8 is the loopback interface. */
    static final String OTHER_ADDRESS = "127.0.0.2";

    static EmbeddedServer server(WsrvConfig config) {
        return Servers.builder(CoreCommands.class, SlowCommands.class, ManualTicker.class).config(config).start();
    }

    static JsonObject json(RawClient.Frame f) {
        return Json.createReader(new StringReader(f.text())).readObject();
    }

    static void awaitReads(long count) {
        Awaitility.await("the server reads the clock " + count + " times").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(2)).until(() -> ManualTicker.reads() >= count);
    }

    @Test
    void aFloodFromOneAddressSpendsOnlyItsOwnBudgetAndAnotherAddressIsServedInFull() throws Exception {
        // time stands still: the budget of each address is its burst of 20 and no more; a session may take 50
        WsrvConfig config = WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS
                .with("wsrv.limits.requestsPerSecond", 1).with("wsrv.limits.requestBurst", 50)
                .with("wsrv.limits.violationsBeforeClose", 0)
                .with("wsrv.limits.requestsPerSecondPerAddress", 1).with("wsrv.limits.requestBurstPerAddress", 20));
        try (EmbeddedServer server = server(config); LogCapture log = LogCapture.of("dev.wsrv")) {
            List<TestClient> flood = new ArrayList<>();
            try {
                for (int c = 0; c < 5; c++) {
                    flood.add(TestClient.connect(server.uri()));
                }
                for (TestClient f : flood) {
                    for (int i = 0; i < 10; i++) {
                        f.sendText("{\"cmd\":\"echo\",\"seqno\":\"f" + i + "\",\"data\":" + i + "}");
                    }
                }
                // meanwhile a client on another address sends its requests one after another
                try (RawClient calm = new RawClient(server.uri(), InetAddress.getByName(OTHER_ADDRESS), new byte[0])) {
                    for (int i = 0; i < 15; i++) {
                        calm.sendText(("{\"cmd\":\"echo\",\"seqno\":\"c" + i + "\",\"data\":" + i + "}")
                                .getBytes(StandardCharsets.UTF_8));
                        JsonObject r = json(calm.read());
                        assertThat(r.getString("seqno")).isEqualTo("c" + i);
                        assertThat(r.getInt("status")).as("reply %d to the other address", i).isZero();
                    }
                }
                int ok = 0;
                int refused = 0;
                for (TestClient f : flood) {
                    for (int i = 0; i < 10; i++) {
                        JsonObject r = f.nextJson();
                        assertThat(r.getString("seqno")).isEqualTo("f" + i);
                        if (r.getInt("status") == 0) {
                            ok++;
                        } else {
                            assertThat(r.getInt("status")).isEqualTo(429);
                            assertThat(r.getString("msg")).isEqualTo("too many requests");
                            refused++;
                        }
                    }
                }
                assertThat(ok).isEqualTo(20);
                assertThat(refused).isEqualTo(30);
            } finally {
                flood.forEach(TestClient::close);
            }
            List<String> warned = log.atLeast(Level.WARNING).stream().map(LogRecord::getMessage)
                    .filter(m -> m.contains("request budget")).toList();
            assertThat(warned).isNotEmpty().allSatisfy(m -> assertThat(m)
                    .contains("its address 127.0.0.1 is over its request budget (1/s, burst 20)", "answering 429"));
        }
    }

    @Test
    void aFrameTakesItsTokenWhenItArrivesNotWhenItsTurnComes() throws Exception {
        SlowCommands.reset();
        // one request a second, two at once; the handler of the first request holds the session's turn
        WsrvConfig config = WsrvConfig.DEFAULTS.withLimits(WsrvConfig.Limits.DEFAULTS
                .with("wsrv.limits.requestsPerSecond", 1).with("wsrv.limits.requestBurst", 2)
                .with("wsrv.limits.violationsBeforeClose", 0)
                .with("wsrv.limits.requestsPerSecondPerAddress", 0).with("wsrv.limits.requestBurstPerAddress", 0));
        try (EmbeddedServer server = server(config); TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"slow\",\"seqno\":\"s\"}");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SlowCommands.STARTED.get() == 1);
            for (int i = 1; i <= 4; i++) {
                // the client keeps to its rate: one request a second
                ManualTicker.advance(1, TimeUnit.SECONDS);
                long reads = ManualTicker.reads();
                c.sendText("{\"cmd\":\"echo\",\"seqno\":\"e" + i + "\",\"data\":" + i + "}");
                awaitReads(reads + 1);
            }
            // the four requests waited behind the first; counted then, with the clock at that time, none is refused
            SlowCommands.gate.countDown();
            assertThat(c.nextJson().getString("seqno")).isEqualTo("s");
            for (int i = 1; i <= 4; i++) {
                JsonObject r = c.nextJson();
                assertThat(r.getString("seqno")).isEqualTo("e" + i);
                assertThat(r.getInt("status")).as("e%d", i).isZero();
            }
        }
    }

    @Test
    void aSessionsBacklogDelaysAnotherSessionByAtMostOneTurnOfEachWaitingSession() throws Exception {
        SlowCommands.reset();
        int workers = 4;
        int sessions = 8;
        int each = 20;
        WsrvConfig config = WsrvConfig.DEFAULTS.with("wsrv.workers", workers).withLimits(WsrvConfig.Limits.NONE);
        try (EmbeddedServer server = server(config)) {
            List<TestClient> flood = new ArrayList<>();
            try {
                long reads = ManualTicker.reads();
                for (int c = 0; c < sessions; c++) {
                    flood.add(TestClient.connect(server.uri()));
                }
                for (TestClient f : flood) {
                    for (int i = 0; i < each; i++) {
                        f.sendText("{\"cmd\":\"slow\",\"seqno\":\"f" + i + "\"}");
                    }
                }
                // every worker is held by a request, and every frame has arrived (the clock is read on each open
                // and each frame)
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> SlowCommands.STARTED.get() == workers);
                awaitReads(reads + sessions + (long) sessions * each);
                try (TestClient late = TestClient.connect(server.uri())) {
                    long before = ManualTicker.reads();
                    late.sendText("{\"cmd\":\"slow\",\"seqno\":\"late\"}");
                    awaitReads(before + 1);
                    SlowCommands.gate.countDown();
                    JsonObject r = late.nextJson();
                    assertThat(r.getInt("status")).isZero();
                    // ahead of it: the held requests, then one turn of each session that was waiting
                    assertThat(r.getJsonObject("data").getInt("started")).isLessThanOrEqualTo(workers + sessions + 1);
                }
                // and every session still got all its replies, in order
                for (TestClient f : flood) {
                    int last = 0;
                    for (int i = 0; i < each; i++) {
                        JsonObject r = f.nextJson();
                        assertThat(r.getString("seqno")).isEqualTo("f" + i);
                        int started = r.getJsonObject("data").getInt("started");
                        assertThat(started).isGreaterThan(last);
                        last = started;
                    }
                }
                assertThat(SlowCommands.STARTED.get()).isEqualTo(sessions * each + 1);
            } finally {
                flood.forEach(TestClient::close);
            }
        }
    }
}
