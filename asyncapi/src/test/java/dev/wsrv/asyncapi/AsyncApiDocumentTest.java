package dev.wsrv.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.runtime.routing.RouteCatalog;
import dev.wsrv.runtime.routing.RouteCatalog.CommandRoute;
import dev.wsrv.runtime.routing.RouteCatalog.PushRoute;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncApiDocumentTest {

    record Register(@NotNull @Positive Long uid) {
    }

    record Info(long uid, String name) {
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    private static final RouteCatalog CATALOG = new RouteCatalog(List.of(
            new CommandRoute("register", true, Register.class, null),
            new CommandRoute("userinfo", true, null, Info.class),
            new CommandRoute("ping", false, null, null)),
            List.of(new PushRoute("user_register", Register.class)));

    private static final JsonObject DOC = AsyncApiDocument.of(CATALOG, new AsyncApiConfig(false, "Demo", "2.1"), "/ws");

    @Test
    void theHeaderNamesTheVersionTheApplicationAndTheEndpoint() {
        assertThat(DOC.getString("asyncapi")).isEqualTo("3.0.0");
        assertThat(DOC.getJsonObject("info").getString("title")).isEqualTo("Demo");
        assertThat(DOC.getJsonObject("info").getString("version")).isEqualTo("2.1");
        assertThat(DOC.getString("defaultContentType")).isEqualTo("application/json");
        JsonObject channel = DOC.getJsonObject("channels").getJsonObject("wsrv");
        assertThat(channel.getString("address")).isEqualTo("/ws");
        assertThat(channel.getJsonObject("messages").keySet()).containsExactly("ping.request", "ping.reply",
                "register.request", "register.reply", "userinfo.request", "userinfo.reply", "user_register.push",
                "error");
        assertThat(channel.getJsonObject("messages").getJsonObject("register.request"))
                .isEqualTo(json("{'$ref':'#/components/messages/register.request'}"));
    }

    @Test
    void eachCommandIsAReceiveOperationThatRepliesWithItsDataOrAnError() {
        JsonObject ops = DOC.getJsonObject("operations");
        assertThat(ops.keySet()).containsExactly("ping", "register", "userinfo", "user_register.push");
        assertThat(ops.getJsonObject("register")).isEqualTo(json("{'action':'receive','summary':'command register',"
                + "'channel':{'$ref':'#/channels/wsrv'},"
                + "'messages':[{'$ref':'#/channels/wsrv/messages/register.request'}],"
                + "'reply':{'channel':{'$ref':'#/channels/wsrv'},'messages':["
                + "{'$ref':'#/channels/wsrv/messages/register.reply'},{'$ref':'#/channels/wsrv/messages/error'}]}}"));
        assertThat(ops.getJsonObject("ping").getString("summary"))
                .isEqualTo("command ping, registered in code: its data and reply are not described");
        assertThat(ops.getJsonObject("user_register.push")).isEqualTo(json("{'action':'send',"
                + "'summary':'push user_register','channel':{'$ref':'#/channels/wsrv'},"
                + "'messages':[{'$ref':'#/channels/wsrv/messages/user_register.push'}]}"));
    }

    @Test
    void theMessagesCarryTheEnvelopeWithTheDataSchemas() {
        JsonObject messages = DOC.getJsonObject("components").getJsonObject("messages");
        JsonObject request = messages.getJsonObject("register.request");
        assertThat(request.getString("name")).isEqualTo("register.request");
        JsonObject payload = request.getJsonObject("payload");
        assertThat(payload.getJsonArray("required")).isEqualTo(Json.createArrayBuilder().add("cmd").add("data").build());
        assertThat(payload.getJsonObject("properties").getJsonObject("cmd")).isEqualTo(json("{'const':'register'}"));
        assertThat(payload.getJsonObject("properties").getJsonObject("data"))
                .isEqualTo(json("{'$ref':'#/components/schemas/AsyncApiDocumentTest.Register'}"));
        assertThat(messages.getJsonObject("userinfo.request").getJsonObject("payload").getJsonArray("required"))
                .isEqualTo(Json.createArrayBuilder().add("cmd").build());

        JsonObject reply = messages.getJsonObject("userinfo.reply").getJsonObject("payload");
        assertThat(reply.getJsonArray("required")).isEqualTo(
                Json.createArrayBuilder().add("cmd").add("seqno").add("status").add("msg").add("data").build());
        assertThat(reply.getJsonObject("properties").getJsonObject("status")).isEqualTo(json("{'const':0}"));
        assertThat(reply.getJsonObject("properties").getJsonObject("msg")).isEqualTo(json("{'const':'ok'}"));
        assertThat(reply.getJsonObject("properties").getJsonObject("data"))
                .isEqualTo(json("{'$ref':'#/components/schemas/AsyncApiDocumentTest.Info'}"));
        assertThat(messages.getJsonObject("ping.request").getJsonObject("payload").getJsonObject("properties")
                .getJsonObject("data")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(messages.getJsonObject("ping.reply").getJsonObject("payload").getJsonObject("properties")
                .getJsonObject("data")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(messages.getJsonObject("user_register.push").getJsonObject("payload").getJsonObject("properties")
                .getJsonObject("data")).isEqualTo(json("{'$ref':'#/components/schemas/AsyncApiDocumentTest.Register'}"));

        JsonObject schemas = DOC.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.keySet()).containsExactly("Status", "AsyncApiDocumentTest.Register", "AsyncApiDocumentTest.Info");
        assertThat(schemas.getJsonObject("AsyncApiDocumentTest.Register")).isEqualTo(json("{'type':'object',"
                + "'properties':{'uid':{'type':'integer','format':'int64','exclusiveMinimum':0}},'required':['uid']}"));
    }

    @Test
    void theStatusTableAndTheErrorReplyAreThoseOfTheProtocol() {
        JsonObject status = DOC.getJsonObject("components").getJsonObject("schemas").getJsonObject("Status");
        assertThat(status.getString("type")).isEqualTo("integer");
        assertThat(status.getJsonArray("x-wsrv-statuses").getValuesAs(JsonObject.class))
                .extracting(s -> s.getInt("status") + " " + s.getString("msg"))
                .containsExactly("0 ok", "-1 not implement", "400 bad request", "422 invalid data",
                        "429 too many requests", "500 internal error");
        JsonObject error = DOC.getJsonObject("components").getJsonObject("messages").getJsonObject("error")
                .getJsonObject("payload").getJsonObject("properties").getJsonObject("status");
        assertThat(error).isEqualTo(json("{'allOf':[{'$ref':'#/components/schemas/Status'},{'not':{'const':0}}]}"));
    }

    @Test
    void theTextIsIndentedJson() {
        String text = AsyncApiDocument.text(DOC);
        assertThat(text).startsWith("{\n").endsWith("}\n");
        assertThat(Json.createReader(new StringReader(text)).readObject()).isEqualTo(DOC);
    }
}
