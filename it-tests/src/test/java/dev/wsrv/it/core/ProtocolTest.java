package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Envelopes, statuses and one reply per request (docs/protocol.md#request, #response). */
@Timeout(60)
class ProtocolTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> Servers.configure(b, CoreCommands.class));

    @Test
    void successEchoesCmdAndSeqnoWithAllFiveFields() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"a-1\",\"data\":{\"k\":[1,2]},\"extra\":true}");
            assertThat(c.next().text())
                    .isEqualTo("{\"cmd\":\"echo\",\"seqno\":\"a-1\",\"status\":0,\"msg\":\"ok\",\"data\":{\"k\":[1,2]}}");
        }
    }

    @Test
    void absentSeqnoIsEmptyAndAbsentDataIsEmptyObject() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"nothing\"}");
            assertThat(c.next().text()).isEqualTo("{\"cmd\":\"nothing\",\"seqno\":\"\",\"status\":0,\"msg\":\"ok\",\"data\":{}}");
        }
    }

    @Test
    void unknownCommandIsNotImplement() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("no_such_cmd", "u1", "{}");
            assertThat(r.getInt("status")).isEqualTo(-1);
            assertThat(r.getString("msg")).isEqualTo("not implement");
            assertThat(r.getJsonObject("data")).isEmpty();
        }
    }

    @Test
    void handlerThatNeverAnswersIsNotImplement() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("silent", "s1", null);
            assertThat(r.getInt("status")).isEqualTo(-1);
            assertThat(r.getString("msg")).isEqualTo("not implement");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "not JSON                | hello there                                  | ''     | ''",
        "truncated JSON          | '{\"cmd\":\"echo\",\"seqno\":\"t1\",\"data\":{' | echo | t1",
        "JSON array              | '[1,2,3]'                                    | ''     | ''",
        "JSON string             | '\"echo\"'                                   | ''     | ''",
        "cmd missing             | '{\"seqno\":\"m1\",\"data\":{}}'             | ''     | m1",
        "cmd empty               | '{\"cmd\":\"\",\"seqno\":\"m2\"}'            | ''     | m2",
        "cmd not a string        | '{\"cmd\":7,\"seqno\":\"m3\"}'               | ''     | m3",
        "numeric seqno           | '{\"cmd\":\"echo\",\"seqno\":5}'             | echo   | 5",
        "object seqno            | '{\"cmd\":\"echo\",\"seqno\":{\"a\":1}}'     | echo   | ''",
        "trailing garbage        | '{\"cmd\":\"echo\",\"seqno\":\"g1\"} x'      | echo   | g1",
    })
    void badInputGets400AndConnectionStaysUsable(String name, String frame, String cmd, String seqno)
            throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText(frame);
            JsonObject r = c.nextJson();
            assertThat(r.getInt("status")).isEqualTo(400);
            assertThat(r.getString("msg")).isEqualTo("bad request");
            assertThat(r.getString("cmd")).isEqualTo(cmd);
            assertThat(r.getString("seqno")).isEqualTo(seqno);
            assertThat(r.getJsonObject("data")).isEmpty();
            assertThat(c.request("echo", "after", "1").getInt("status")).isZero();
        }
    }

    @Test
    void cmdAndSeqnoLongerThan256CharactersAre400EchoedAsEmptySoNoReplyOutgrowsItsRequest() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            // 10,000 control characters: 60 kB of escapes that an echo would have written again
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"" + "\\u0001".repeat(10_000) + "\"}");
            assertThat(c.next().text())
                    .isEqualTo("{\"cmd\":\"echo\",\"seqno\":\"\",\"status\":400,\"msg\":\"bad request\",\"data\":{}}");
            c.sendText("{\"cmd\":\"" + "x".repeat(257) + "\",\"seqno\":\"long-cmd\"}");
            assertThat(c.next().text())
                    .isEqualTo("{\"cmd\":\"\",\"seqno\":\"long-cmd\",\"status\":400,\"msg\":\"bad request\",\"data\":{}}");
            // 256 is still fine
            c.sendText("{\"cmd\":\"" + "\\u0001".repeat(256) + "\",\"seqno\":\"" + "s".repeat(256) + "\"}");
            JsonObject unknown = c.nextJson();
            assertThat(unknown.getString("cmd")).isEqualTo("\u0001".repeat(256));
            assertThat(unknown.getString("seqno")).isEqualTo("s".repeat(256));
            assertThat(unknown.getInt("status")).isEqualTo(-1);
        }
    }

    @Test
    void exceptionIs500WithGenericMessageAndLoggedErrorId() throws Exception {
        try (LogCapture log = LogCapture.of("dev.wsrv.errors"); TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("boom", "b1", null);
            assertThat(r.getInt("status")).isEqualTo(500);
            assertThat(r.getString("msg")).isEqualTo("internal error");
            String errorId = r.getJsonObject("data").getString("errorId");
            assertThat(errorId).isNotBlank();
            assertThat(r.toString()).doesNotContain("secret", "IllegalStateException", "at dev.");
            assertThat(log.atLeast(Level.SEVERE)).singleElement().satisfies(rec -> {
                assertThat(rec.getMessage()).contains("errorId=" + errorId);
                assertThat(rec.getThrown()).isInstanceOf(IllegalStateException.class).hasMessage("secret internal detail");
            });
            assertThat(c.request("echo", "after", "2").getInt("status")).isZero();
        }
    }

    @Test
    void clientTextInALogLineIsEscapedAndCutToTwoHundredCharacters() throws Exception {
        String seqno = "\\n" + "s".repeat(198) + "CUT" + "t".repeat(40);
        try (LogCapture log = LogCapture.of("dev.wsrv.errors"); TestClient c = TestClient.connect(server.uri())) {
            c.sendText("{\"cmd\":\"boom\",\"seqno\":\"" + seqno + "\"}");
            assertThat(c.nextJson().getInt("status")).isEqualTo(500);
            assertThat(log.atLeast(Level.SEVERE)).singleElement().satisfies(r -> assertThat(r.getMessage())
                    .contains("seqno=\\u000a" + "s".repeat(198) + "C...")
                    .doesNotContain("\n", "UT", "ttt"));
        }
    }

    @Test
    void wsExceptionKeepsStatusMessageAndData() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("refuse", "r1", null);
            assertThat(r.getInt("status")).isEqualTo(4001);
            assertThat(r.getString("msg")).isEqualTo("custom refusal");
            assertThat(r.getJsonObject("data").getString("hint")).isEqualTo("try later");
        }
    }

    @Test
    void dataOfTheWrongTypeIs422WithProblems() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject wrongType = c.request("point", "p1", "{\"x\":\"abc\",\"y\":1,\"label\":\"a\"}");
            assertThat(wrongType.getInt("status")).isEqualTo(422);
            assertThat(wrongType.getString("msg")).isEqualTo("invalid data");
            assertThat(wrongType.getJsonArray("data").getJsonObject(0).getString("path")).isEqualTo("x");
            assertThat(wrongType.toString()).doesNotContain("java.", "dev.wsrv");

            JsonObject notAnObject = c.request("point", "p2", "[1,2]");
            assertThat(notAnObject.getInt("status")).isEqualTo(422);

            JsonObject missing = c.request("point", "p3", null);
            assertThat(missing.getInt("status")).isEqualTo(422);
            assertThat(missing.getJsonArray("data").getJsonObject(0).getString("message")).isEqualTo("data is required");

            assertThat(c.request("point", "ok", "{\"x\":2,\"y\":3,\"label\":\"a\"}").getJsonObject("data").getInt("sum"))
                    .isEqualTo(5);
        }
    }

    @Test
    void beanValidationListsEveryViolationSortedByPath() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("point", "v1", "{\"x\":-1,\"y\":11,\"label\":\" \"}");
            assertThat(r.getInt("status")).isEqualTo(422);
            assertThat(r.getJsonArray("data").getValuesAs(JsonObject.class))
                    .extracting(o -> o.getString("path"))
                    .containsExactly("label", "x", "y");
            assertThat(r.getJsonArray("data").getJsonObject(1).getString("message")).isEqualTo("must be greater than or equal to 0");
        }
    }

    @Test
    void genericParameterTypesAreBound() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("points", "g1", "[{\"x\":1,\"y\":1,\"label\":\"a\"},{\"x\":2,\"y\":2,\"label\":\"b\"}]");
            assertThat(r.getInt("status")).isZero();
            assertThat(r.getInt("data")).isEqualTo(2);
        }
    }

    @Test
    void completionStageAnswersWhenItCompletes() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.request("later", "l1", null).getJsonObject("data").getString("seqno")).isEqualTo("l1");
            JsonObject failed = c.request("laterFails", "l2", null);
            assertThat(failed.getInt("status")).isEqualTo(409);
            assertThat(failed.getString("msg")).isEqualTo("conflict later");
        }
    }

    @Test
    void binaryRequestGetsBinaryReply() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendBinary("{\"cmd\":\"echo\",\"seqno\":\"bin\",\"data\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            TestClient.Message m = c.next();
            assertThat(m.binary()).isTrue();
            assertThat(m.text()).isEqualTo("{\"cmd\":\"echo\",\"seqno\":\"bin\",\"status\":0,\"msg\":\"ok\",\"data\":\"x\"}");
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"txt\"}");
            assertThat(c.next().binary()).isFalse();
        }
    }

    @Test
    void pipelinedRequestsAreEachAnsweredOnceInOrderAndRunOneAtATime() throws Exception {
        try (TestClient c = TestClient.connect(server.uri()); TestClient other = TestClient.connect(server.uri())) {
            for (int i = 0; i < 500; i++) {
                c.sendText("{\"cmd\":\"seq\",\"seqno\":\"" + i + "\",\"data\":" + i + "}");
                other.sendText("{\"cmd\":\"seq\",\"seqno\":\"o" + i + "\",\"data\":" + i + "}");
            }
            for (TestClient client : List.of(c, other)) {
                for (int i = 0; i < 500; i++) {
                    JsonObject r = client.nextJson();
                    assertThat(r.getString("seqno")).endsWith(String.valueOf(i));
                    assertThat(r.getInt("status")).isZero();
                    // each ran after the one before it had finished, and beside no other of its session
                    assertThat(r.getJsonObject("data").getInt("previous")).isEqualTo(i - 1);
                    assertThat(r.getJsonObject("data").getBoolean("overlap")).isFalse();
                }
            }
            assertThat(c.messagesBefore("echo")).isEmpty();
        }
    }

    @Test
    void heartbeatGetsNoReply() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            c.sendText("");
            c.sendBinary(new byte[0]);
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"hb\"}");
            // the only message is the echo's reply: the heartbeats were consumed silently
            assertThat(c.nextJson().getString("seqno")).isEqualTo("hb");
            assertThat(c.messagesBefore("echo")).isEmpty();
        }
    }

    @Test
    void pingIsAnsweredWithPongAndNothingElse() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            assertThat(c.ping(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
            assertThat(c.messagesBefore("echo")).isEmpty();
        }
    }
}
