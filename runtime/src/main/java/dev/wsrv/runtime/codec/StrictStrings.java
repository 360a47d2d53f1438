package dev.wsrv.runtime.codec;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.Type;

/**
 * Binds a {@link String} only from a JSON string. Yasson turns any scalar into a string, so {@code {"room": 5}}
 * reached a handler as the room {@code "5"}, and a client that sent the wrong type never heard of it; here it is a
 * binding failure, and so a 422 that says where.
 */
final class StrictStrings implements JsonbDeserializer<String> {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
        JsonValue v = parser.getValue();
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v == JsonValue.NULL) {
            return null;
        }
        throw new JsonbException("expected a string");
    }
}
