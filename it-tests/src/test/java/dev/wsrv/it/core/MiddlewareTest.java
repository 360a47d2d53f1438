package dev.wsrv.it.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import dev.wsrv.test.WsrvTestExtension;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/protocol.md#middleware-and-handlers: order by priority, onion next(), abort, middleware limited to commands.
 */
@Timeout(60)
class MiddlewareTest {

    @RegisterExtension
    static final WsrvTestExtension server = WsrvTestExtension.perClass(b -> Servers.configure(b,
                MiddlewareBeans.Second.class, MiddlewareBeans.Gate.class, MiddlewareBeans.Stop.class,
                MiddlewareBeans.Passive.class, MiddlewareBeans.First.class, MiddlewareBeans.Peek.class,
                MiddlewareBeans.Handlers.class)
            .use(25, ctx -> {
                // programmatic middleware takes its place among the beans by priority
                dev.wsrv.it.core.Trace.add(ctx, "programmatic");
            }));

    private static List<String> trace(JsonObject reply) {
        return reply.getJsonObject("data").getJsonArray("trace").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList();
    }

    @Test
    void middlewareRunByPriorityAroundTheHandlerAndSeeTheResponseAfterNext() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("traced", "t1", null);
            assertThat(r.getInt("status")).isEqualTo(299);
            assertThat(r.getString("msg")).isEqualTo("seen:ok");
            assertThat(trace(r)).containsExactly("first:before", "second:before", "programmatic", "passive",
                    "handler", "second:after:0", "first:after");
        }
    }

    @Test
    void middlewareLimitedToACommandRunsOnlyForIt() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("gate", "g1", "\"open\"");
            assertThat(r.getInt("status")).isZero();
            assertThat(trace(r)).containsExactly("first:before", "second:before", "programmatic", "passive", "gate",
                    "handler");
        }
    }

    @Test
    void abortWithStatusStopsTheChainAndAnswers() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("gate", "g2", "\"closed\"");
            assertThat(r.getInt("status")).isEqualTo(403);
            assertThat(r.getString("msg")).isEqualTo("gate closed");
            assertThat(trace(c.request("trace", "t", null))).containsExactly("first:before", "second:before",
                    "programmatic", "passive", "gate", "second:after:403", "first:after",
                    // the trace command's own way through the chain
                    "first:before", "second:before", "programmatic", "passive");
        }
    }

    @Test
    void plainAbortStopsTheChainAndTheReplyIsNotImplement() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("stop", "s1", null);
            assertThat(r.getInt("status")).isEqualTo(-1);
            assertThat(r.getString("msg")).isEqualTo("not implement");
            assertThat(trace(c.request("trace", "t", null))).startsWith("first:before", "second:before",
                    "programmatic", "passive", "stop:aborted=true", "second:after:none", "first:after");
        }
    }

    @Test
    void anExceptionInTheHandlerIsTheResponseSeenAfterNext() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("explode", "e1", null);
            // First rewrote the 500 as 1500 after next(): the failure was already a response when next() returned
            assertThat(r.getInt("status")).isEqualTo(1500);
            assertThat(r.getString("msg")).isEqualTo("seen:internal error");
            assertThat(trace(r)).containsExactly("first:before", "second:before", "programmatic", "passive",
                    "handler", "second:after:500", "first:after");
        }
    }

    @Test
    void unknownCommandsRunTheGlobalMiddlewareThenAnswerNotImplement() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("unknown", "u1", null);
            assertThat(r.getInt("status")).isEqualTo(-1);
            assertThat(trace(c.request("trace", "t", null))).startsWith("first:before", "second:before",
                    "programmatic", "passive", "second:after:none", "first:after");
        }
    }

    @Test
    void middlewareReadsTheDataAsJsonAndTheHandlerBindsTheSameRequestToARecord() throws Exception {
        try (TestClient c = TestClient.connect(server.uri())) {
            JsonObject r = c.request("room", "r1", "{\"name\":\"lobby\",\"size\":3}");
            assertThat(r.getInt("status")).isZero();
            assertThat(trace(r)).containsExactly("first:before", "second:before", "programmatic", "passive",
                    "peek:\"lobby\":same=true", "handler:lobby/3");

            // the middleware reads data that does not fit the record; the handler's binding still answers 422
            JsonObject bad = c.request("room", "r2", "{\"name\":5,\"size\":3}");
            assertThat(bad.getInt("status")).isEqualTo(422);
            assertThat(bad.getJsonArray("data").toString())
                    .isEqualTo("[{\"message\":\"expected a string\",\"path\":\"name\"}]");
            // the trace still holds the first request's way out after its handler, then the second's
            assertThat(trace(c.request("trace", "t", null))).startsWith("second:after:0", "first:after",
                    "first:before", "second:before", "programmatic", "passive", "peek:5:same=true",
                    "second:after:422", "first:after");
        }
    }
}
