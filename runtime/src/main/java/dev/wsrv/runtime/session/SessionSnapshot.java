package dev.wsrv.runtime.session;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.codec.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A resumable session as it travels to another node (docs/protocol.md#resume-on-another-node): id, user, groups,
 * the attributes JSON-B can write (read back as JSON-B reads untyped JSON: {@code Map}, {@code List},
 * {@code String}, {@code BigDecimal}, {@code Boolean}), its numbering and the pushes the client has not processed.
 * Immutable.
 *
 * @param id the session id
 * @param user the bound user, or {@code null}
 * @param groups the groups
 * @param attributes the attributes
 * @param principal the principal's name the session is bound to, {@code ""} for none
 * @param prefix the seqno prefix of its pushes
 * @param next the number its next push gets
 * @param pushes the pushes after the client's last one, in order
 * @param skip the seqnos of pushes the session had that the owner had published and not yet seen come back
 */
record SessionSnapshot(String id, String user, Set<String> groups, Map<String, Object> attributes, String principal,
                       String prefix, long next, List<PushLog.Kept> pushes, Set<String> skip) {

    private static final Logger LOG = Logger.getLogger(SessionSnapshot.class.getName());

    /**
     * Writes the snapshot; an attribute JSON-B cannot write is left out.
     *
     * @return the JSON text
     */
    String toJson() {
        JsonObjectBuilder attrs = Json.builders().createObjectBuilder();
        attributes.forEach((k, v) -> {
            try {
                attrs.add(k, read(Json.jsonb().toJson(v)));
            } catch (RuntimeException e) {
                LOG.fine(() -> LogText.session(id) + ": attribute " + LogText.safe(k) + " not carried to another "
                        + "node: JSON-B cannot write it (" + e + ")");
            }
        });
        JsonArrayBuilder kept = Json.builders().createArrayBuilder();
        for (PushLog.Kept k : pushes) {
            kept.add(Json.builders().createObjectBuilder().add("n", k.n()).add("text", k.push().text()));
        }
        JsonObjectBuilder o = Json.builders().createObjectBuilder().add("id", id);
        if (user != null) {
            o.add("user", user);
        }
        return o.add("groups", Json.builders().createArrayBuilder(groups))
                .add("attributes", attrs)
                .add("principal", principal)
                .add("prefix", prefix)
                .add("next", next)
                .add("pushes", kept)
                .add("skip", Json.builders().createArrayBuilder(skip))
                .build().toString();
    }

    /**
     * Reads a snapshot another node wrote.
     *
     * @param text the JSON text
     * @return the snapshot
     * @throws RuntimeException when the text is not a snapshot
     */
    static SessionSnapshot parse(String text) {
        JsonObject o = read(text).asJsonObject();
        List<PushLog.Kept> pushes = new ArrayList<>();
        for (JsonValue v : o.getJsonArray("pushes")) {
            JsonObject k = v.asJsonObject();
            PushEnvelope push = PushEnvelope.of(k.getString("text"));
            if (push == null) {
                throw new IllegalArgumentException("a kept push is not an envelope");
            }
            pushes.add(new PushLog.Kept(k.getJsonNumber("n").longValueExact(), push));
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        o.getJsonObject("attributes").forEach((k, v) -> attributes.put(k, java(v)));
        return new SessionSnapshot(o.getString("id"), o.getString("user", null), strings(o.getJsonArray("groups")),
                attributes, o.getString("principal"), o.getString("prefix"), o.getJsonNumber("next").longValueExact(),
                pushes, strings(o.getJsonArray("skip")));
    }

    private static Set<String> strings(JsonArray a) {
        return Set.copyOf(a.getValuesAs(JsonString::getString));
    }

    private static JsonValue read(String text) {
        try (JsonReader r = Json.provider().createReader(new StringReader(text))) {
            return r.readValue();
        }
    }

    /** A JSON value as JSON-B reads it into {@code Object}. */
    private static Object java(JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                v.asJsonObject().forEach((k, x) -> m.put(k, java(x)));
                yield m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                v.asJsonArray().forEach(x -> l.add(java(x)));
                yield l;
            }
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> ((JsonNumber) v).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }
}
