package dev.wsrv.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.core.CoreCommands;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.WsrvConfig;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text with an unpaired surrogate (the JSON escape {@code \ud800} with no partner) in a request's cmd or seqno, in data
 * a handler answers with, or in a push: the reply and the push carry it as the same escape, so the frame is valid UTF-8
 * and the container sends it, and every session goes on answering.
 */
@Timeout(60)
class UnpairedSurrogateTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> b.config(WsrvConfig.DEFAULTS)
            .beanClasses(CoreCommands.class, SayCommands.class));

    static void stillAnswers(TestClient c, String seqno) throws Exception {
        assertThat(c.request("echo", seqno, "[1]").getInt("status")).isZero();
    }

    @Test
    void anUnpairedSurrogateInSeqnoOrCmdIsEchoedAsItsEscapeAndTheSessionGoesOn() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"s\\ud800\",\"data\":\"x\\udc00y\"}");
            TestClient.Message m = c.next();
            assertThat(m.text()).isEqualTo(
                    "{\"cmd\":\"echo\",\"seqno\":\"s\\ud800\",\"status\":0,\"msg\":\"ok\",\"data\":\"x\\udc00y\"}");
            assertThat(m.json().getString("seqno")).isEqualTo("s\ud800");
            stillAnswers(c, "after-seqno");

            c.sendText("{\"cmd\":\"no\\udbff\",\"seqno\":\"c1\"}");
            JsonObject unknown = c.nextJson();
            assertThat(unknown.getString("cmd")).isEqualTo("no\udbff");
            assertThat(unknown.getInt("status")).isEqualTo(-1);
            stillAnswers(c, "after-cmd");

            // a 400 echoes what it could read, surrogate and all
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"\\ud83d\",\"data\":[");
            JsonObject bad = c.nextJson();
            assertThat(bad.getString("seqno")).isEqualTo("\ud83d");
            assertThat(bad.getInt("status")).isEqualTo(400);
            stillAnswers(c, "after-400");
        }
    }

    @Test
    void dataAHandlerSerialisesWithAnUnpairedSurrogateIsSent() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            // remember keeps the data's JSON text; recall answers it inside a map, written through JSON-B
            assertThat(c.request("remember", "r1", "\"\\udfff\"").getInt("status")).isZero();
            JsonObject r = c.request("recall", "r2", null);
            assertThat(r.getInt("status")).isZero();
            assertThat(r.getJsonObject("data").getString("value")).isEqualTo("\"\udfff\"");
            stillAnswers(c, "after-recall");
        }
    }

    @Test
    void aBroadcastOfUserTextWithAnUnpairedSurrogateReachesEverySession() throws Exception {
        List<TestClient> others = new ArrayList<>();
        try (TestClient speaker = TestClient.connect(server.uri())) {
            for (int i = 0; i < 3; i++) {
                others.add(TestClient.connect(server.uri()));
                stillAnswers(others.get(i), "ready-" + i);
            }
            JsonObject r = speaker.request("say", "say1", "\"hi \\ud800 there\"");
            assertThat(r.getInt("status")).isZero();
            assertThat(r.getJsonObject("data").getInt("reached")).isEqualTo(4);
            assertThat(speaker.awaitPush("said").getJsonObject("data").getString("text")).isEqualTo("hi \ud800 there");
            for (TestClient o : others) {
                assertThat(o.awaitPush("said").getJsonObject("data").getString("text")).isEqualTo("hi \ud800 there");
                stillAnswers(o, "after-push");
            }
            stillAnswers(speaker, "after-say");
        } finally {
            others.forEach(TestClient::close);
        }
    }
}
