package dev.wsrv.client;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.lang.reflect.Type;

/** The one JSON-B instance and JSON-P provider of the client, and the envelope codec. Thread-safe. */
final class JsonSupport {

    /** Thread-safe per the JSON-B specification (Yasson); created once, never closed. */
    static final Jsonb JSONB = JsonbBuilder.create();
    static final JsonProvider JSONP = JsonProvider.provider();

    private JsonSupport() {
    }

    /** Serialises a value to JSON text: a {@link JsonValue} as is, anything else with JSON-B. */
    static String toJson(Object data) {
        if (data instanceof JsonValue v) {
            return v.toString();
        }
        return JSONB.toJson(data);
    }

    /** A JSON string literal, escaped. */
    static String quote(String s) {
        return JSONP.createValue(s).toString();
    }

    /** Builds a request envelope; {@code dataJson == null} leaves {@code data} out. */
    static String request(String cmd, String seqno, String dataJson) {
        StringBuilder sb = new StringBuilder(32 + cmd.length() + seqno.length()
                + (dataJson == null ? 0 : dataJson.length()));
        sb.append("{\"cmd\":").append(quote(cmd)).append(",\"seqno\":").append(quote(seqno));
        if (dataJson != null) {
            sb.append(",\"data\":").append(dataJson);
        }
        return sb.append('}').toString();
    }

    /** Parses an inbound envelope; throws on anything but a JSON object. */
    static JsonObject parseObject(String text) {
        try (JsonReader r = JSONP.createReader(new StringReader(text))) {
            JsonValue v = r.readValue();
            if (!(v instanceof JsonObject o)) {
                throw new IllegalArgumentException("wsrv: inbound message is not a JSON object");
            }
            return o;
        }
    }

    static String string(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : "";
    }

    /** Binds raw JSON to a type; JSON-P types are returned as they are. */
    @SuppressWarnings("unchecked")
    static <T> T bind(JsonValue data, Type type) {
        if (type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c)) {
            if (data == JsonValue.NULL && c != JsonValue.class) {
                return null;
            }
            if (!c.isInstance(data)) {
                throw new JsonbException("wsrv: cannot bind " + data.getValueType() + " to " + c.getName());
            }
            return (T) data;
        }
        if (data == null || data.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return JSONB.fromJson(data.toString(), type);
    }
}
