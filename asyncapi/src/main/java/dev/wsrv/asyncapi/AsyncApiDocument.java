package dev.wsrv.asyncapi;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.cdi.RouterBean;
import dev.wsrv.runtime.routing.RouteCatalog;
import dev.wsrv.runtime.routing.RouteCatalog.CommandRoute;
import dev.wsrv.runtime.routing.RouteCatalog.PushRoute;
import jakarta.enterprise.inject.Instance;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Map;

/**
 * Writes an application's contract as an AsyncAPI 3.0 document: one channel, the endpoint; one operation per command
 * (the application receives the request and replies), with the JSON Schema of the request's and the reply's
 * {@code data} from the handler's Java types; one operation per declared push (the application sends it); the
 * envelopes and the status table of {@code docs/protocol.md}. A handler registered in code has an open schema
 * ({@code {}}) for both.
 *
 * <p>Stateless and thread-safe; each call writes a new document.
 */
public final class AsyncApiDocument {

    private static final String CHANNEL = "wsrv";
    private static final String ERROR = "error";

    private AsyncApiDocument() {
    }

    /**
     * Writes the document of a route catalog.
     *
     * @param catalog the commands and declared pushes
     * @param config the title and version
     * @param endpointPath the endpoint's path, the channel's address, such as {@code /ws}
     * @return the document
     */
    public static JsonObject of(RouteCatalog catalog, AsyncApiConfig config, String endpointPath) {
        JsonSchemas schemas = new JsonSchemas();
        JsonObjectBuilder channelMessages = Json.createObjectBuilder();
        JsonObjectBuilder messages = Json.createObjectBuilder();
        JsonObjectBuilder operations = Json.createObjectBuilder();
        for (CommandRoute c : catalog.commands()) {
            String request = key(c.cmd()) + ".request";
            String reply = key(c.cmd()) + ".reply";
            messages.add(request, message(request, "the request " + c.cmd(),
                    Envelope.request(c.cmd(), schemas.schema(c.data()), c.data() != null)));
            messages.add(reply, message(reply, "the successful reply to " + c.cmd(),
                    Envelope.ok(c.cmd(), schemas.schema(c.reply()), false)));
            channelMessages.add(request, ref("#/components/messages/" + request));
            channelMessages.add(reply, ref("#/components/messages/" + reply));
            operations.add(c.cmd(), Json.createObjectBuilder()
                    .add("action", "receive")
                    .add("summary", c.typed() ? "command " + c.cmd()
                            : "command " + c.cmd() + ", registered in code: its data and reply are not described")
                    .add("channel", ref("#/channels/" + CHANNEL))
                    .add("messages", Json.createArrayBuilder().add(channelRef(request)))
                    .add("reply", Json.createObjectBuilder()
                            .add("channel", ref("#/channels/" + CHANNEL))
                            .add("messages", Json.createArrayBuilder().add(channelRef(reply)).add(channelRef(ERROR)))));
        }
        for (PushRoute p : catalog.pushes()) {
            String push = key(p.cmd()) + ".push";
            messages.add(push, message(push, "the push " + p.cmd(), Envelope.ok(p.cmd(), schemas.schema(p.data()),
                    true)));
            channelMessages.add(push, ref("#/components/messages/" + push));
            operations.add(push, Json.createObjectBuilder()
                    .add("action", "send")
                    .add("summary", "push " + p.cmd())
                    .add("channel", ref("#/channels/" + CHANNEL))
                    .add("messages", Json.createArrayBuilder().add(channelRef(push))));
        }
        messages.add(ERROR, message(ERROR, "an error reply to any command: a status other than 0",
                Envelope.error()));
        channelMessages.add(ERROR, ref("#/components/messages/" + ERROR));

        JsonObjectBuilder components = Json.createObjectBuilder().add("messages", messages);
        JsonObjectBuilder named = Json.createObjectBuilder().add("Status", Envelope.status());
        for (Map.Entry<String, JsonObject> e : schemas.named().entrySet()) {
            named.add(e.getKey(), e.getValue());
        }
        components.add("schemas", named);
        return Json.createObjectBuilder()
                .add("asyncapi", "3.0.0")
                .add("info", Json.createObjectBuilder()
                        .add("title", config.title())
                        .add("version", config.version())
                        .add("description", Envelope.DESCRIPTION))
                .add("defaultContentType", "application/json")
                .add("channels", Json.createObjectBuilder().add(CHANNEL, Json.createObjectBuilder()
                        .add("address", endpointPath)
                        .add("description", "the WebSocket endpoint: every request, reply and push")
                        .add("messages", channelMessages)))
                .add("operations", operations)
                .add("components", components)
                .build();
    }

    /**
     * Writes the document of the application a CDI container runs, with the settings of the environment.
     *
     * @param container the container (the embedded server's, or {@code CDI.current()})
     * @return the document as indented JSON text
     */
    public static String json(Instance<Object> container) {
        return json(container, AsyncApiConfig.fromEnvironment());
    }

    /**
     * Writes the document of the application a CDI container runs.
     *
     * @param container the container (the embedded server's, or {@code CDI.current()})
     * @param config the title and version
     * @return the document as indented JSON text
     */
    public static String json(Instance<Object> container, AsyncApiConfig config) {
        RouteCatalog catalog = container.select(RouterBean.class).get().catalog();
        String path = container.select(WsrvConfig.class).get().path();
        return text(of(catalog, config, path));
    }

    /**
     * Writes a document as indented JSON text.
     *
     * @param document the document
     * @return the text, ending with a line break
     */
    public static String text(JsonObject document) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                .createGenerator(out)) {
            g.write(document);
        }
        return out.toString().strip() + "\n";
    }

    /** A component key: AsyncAPI allows letters, digits, '.', '-' and '_'; the command itself stays in the schema. */
    private static String key(String cmd) {
        return cmd.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static JsonObjectBuilder message(String name, String title, JsonObject payload) {
        return Json.createObjectBuilder().add("name", name).add("title", title).add("payload", payload);
    }

    private static JsonObjectBuilder channelRef(String message) {
        return ref("#/channels/" + CHANNEL + "/messages/" + message);
    }

    private static JsonObjectBuilder ref(String to) {
        return Json.createObjectBuilder().add("$ref", to);
    }
}
