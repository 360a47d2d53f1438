package dev.wsrv.asyncapi;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The parts of the document that every wsrv application shares, as {@code docs/protocol.md} states them: the request,
 * reply and push envelopes, the status table and the error reply.
 */
final class Envelope {

    /** The status table of docs/protocol.md#response: status, msg, when. */
    private static final String[][] STATUSES = {
        {"0", "ok", "success"},
        {"-1", "not implement", "no handler for cmd, or the chain finished without anyone answering"},
        {"400", "bad request", "not a JSON object; cmd missing, empty or not a string; seqno not a string; cmd or seqno"
            + " longer than 256 characters; data nested too deep or with too many members"},
        {"422", "invalid data", "data could not be bound to the handler's type, or Bean Validation rejected it; data is"
            + " a list of {path, message}, sorted by path"},
        {"429", "too many requests", "the session or its client address went over its request rate, or too many"
            + " asynchronous requests are unanswered; the handler did not run"},
        {"500", "internal error", "an unexpected exception; data is {errorId}, the id in the server log"},
    };

    static final String DESCRIPTION = "A client sends {\"cmd\",\"seqno\",\"data\"} in one WebSocket text (or binary)"
            + " frame; the server answers every request with exactly one {\"cmd\",\"seqno\",\"status\",\"msg\",\"data\"}"
            + " that echoes cmd and seqno, and sends pushes in the reply's shape with a seqno of its own. An empty frame"
            + " is a heartbeat; a connection silent for the idle timeout (30 s by default) is closed. A non-zero status"
            + " is an error reply (the status table is the schema Status). The server stays the authority: a request"
            + " these schemas accept may still be refused. See docs/protocol.md of wsrv.";

    private Envelope() {
    }

    /**
     * Returns the schema of a request of one command.
     *
     * @param cmd the command
     * @param data the schema of its data
     * @param dataRequired whether the handler needs data (it binds a type: missing or null data is a 422)
     * @return the envelope's schema
     */
    static JsonObject request(String cmd, JsonObject data, boolean dataRequired) {
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("cmd", Json.createObjectBuilder().add("const", cmd))
                        .add("seqno", seqno("chosen by the client to match the reply; absent is \"\""))
                        .add("data", data))
                .add("required", dataRequired ? Json.createArrayBuilder().add("cmd").add("data")
                        : Json.createArrayBuilder().add("cmd"))
                .build();
    }

    /**
     * Returns the schema of a successful reply or a push of one command.
     *
     * @param cmd the command
     * @param data the schema of its data
     * @param push whether it is a push, whose seqno the server makes
     * @return the envelope's schema
     */
    static JsonObject ok(String cmd, JsonObject data, boolean push) {
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("cmd", Json.createObjectBuilder().add("const", cmd))
                        .add("seqno", seqno(push ? "made by the server, unique; never one of a request in flight"
                                : "the request's"))
                        .add("status", Json.createObjectBuilder().add("const", 0))
                        .add("msg", Json.createObjectBuilder().add("const", "ok"))
                        .add("data", data))
                .add("required", allKeys())
                .build();
    }

    /**
     * Returns the schema of an error reply, shared by every command.
     *
     * @return the schema
     */
    static JsonObject error() {
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("cmd", Json.createObjectBuilder().add("type", "string"))
                        .add("seqno", seqno("the request's, or \"\" when it could not be read"))
                        .add("status", Json.createObjectBuilder()
                                .add("allOf", Json.createArrayBuilder()
                                        .add(Json.createObjectBuilder().add("$ref", JsonSchemas.REF_PREFIX + "Status"))
                                        .add(Json.createObjectBuilder()
                                                .add("not", Json.createObjectBuilder().add("const", 0)))))
                        .add("msg", Json.createObjectBuilder().add("type", "string"))
                        .add("data", Json.createObjectBuilder()
                                .add("description", "{} or what the error carries: the problems of a 422, the"
                                        + " errorId of a 500, the application's data")))
                .add("required", allKeys())
                .build();
    }

    /**
     * Returns the schema of the status: an integer, described by the status table.
     *
     * @return the schema
     */
    static JsonObject status() {
        StringBuilder text = new StringBuilder("0 is success; any other value is an error:");
        JsonArrayBuilder table = Json.createArrayBuilder();
        for (String[] s : STATUSES) {
            text.append(' ').append(s[0]).append(" '").append(s[1]).append("': ").append(s[2]).append(';');
            table.add(Json.createObjectBuilder().add("status", Integer.parseInt(s[0])).add("msg", s[1])
                    .add("when", s[2]));
        }
        text.append(" other statuses and messages are the application's.");
        return Json.createObjectBuilder()
                .add("type", "integer")
                .add("description", text.toString())
                .add("x-wsrv-statuses", table)
                .build();
    }

    private static JsonObjectBuilder seqno(String description) {
        return Json.createObjectBuilder().add("type", "string").add("maxLength", 256).add("description", description);
    }

    private static JsonArrayBuilder allKeys() {
        return Json.createArrayBuilder().add("cmd").add("seqno").add("status").add("msg").add("data");
    }
}
