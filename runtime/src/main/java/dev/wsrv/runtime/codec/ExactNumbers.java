package dev.wsrv.runtime.codec;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonMergePatch;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonPatch;
import jakarta.json.JsonPatchBuilder;
import jakarta.json.JsonPointer;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON-P provider JSON-B binds through: the shared one, except that its parsers read a number as an {@code int}
 * or a {@code long} only when it fits exactly. Yasson binds primitive {@code int} and {@code long} with
 * {@link JsonParser#getInt()} and {@link JsonParser#getLong()}, which narrow ({@code 1.5} became 1, {@code 1e999999999}
 * became 0), and JSON-B offers no deserializer hook for primitive types; here the narrowing is a binding failure, and
 * so a 422, as {@link ExactIntegers} makes it for the boxed types. ({@code short} and {@code byte} are parsed from
 * the number's text, which is already exact.) Thread-safe.
 */
final class ExactNumbers extends JsonProvider {

    private final JsonProvider json;

    ExactNumbers(JsonProvider json) {
        this.json = json;
    }

    @Override
    public JsonParser createParser(Reader reader) {
        return new Parser(json.createParser(reader));
    }

    @Override
    public JsonParser createParser(InputStream in) {
        return new Parser(json.createParser(in));
    }

    @Override
    public JsonParserFactory createParserFactory(Map<String, ?> config) {
        JsonParserFactory factory = json.createParserFactory(config);
        return new JsonParserFactory() {
            @Override
            public JsonParser createParser(Reader reader) {
                return new Parser(factory.createParser(reader));
            }

            @Override
            public JsonParser createParser(InputStream in) {
                return new Parser(factory.createParser(in));
            }

            @Override
            public JsonParser createParser(InputStream in, Charset charset) {
                return new Parser(factory.createParser(in, charset));
            }

            @Override
            public JsonParser createParser(JsonObject obj) {
                return new Parser(factory.createParser(obj));
            }

            @Override
            public JsonParser createParser(JsonArray array) {
                return new Parser(factory.createParser(array));
            }

            @Override
            public Map<String, ?> getConfigInUse() {
                return factory.getConfigInUse();
            }
        };
    }

    // ---------------------------------------------------------------- everything else is the shared provider's

    @Override
    public JsonGenerator createGenerator(Writer writer) {
        return json.createGenerator(writer);
    }

    @Override
    public JsonGenerator createGenerator(OutputStream out) {
        return json.createGenerator(out);
    }

    @Override
    public JsonGeneratorFactory createGeneratorFactory(Map<String, ?> config) {
        return json.createGeneratorFactory(config);
    }

    @Override
    public JsonReader createReader(Reader reader) {
        return json.createReader(reader);
    }

    @Override
    public JsonReader createReader(InputStream in) {
        return json.createReader(in);
    }

    @Override
    public JsonWriter createWriter(Writer writer) {
        return json.createWriter(writer);
    }

    @Override
    public JsonWriter createWriter(OutputStream out) {
        return json.createWriter(out);
    }

    @Override
    public JsonWriterFactory createWriterFactory(Map<String, ?> config) {
        return json.createWriterFactory(config);
    }

    @Override
    public JsonReaderFactory createReaderFactory(Map<String, ?> config) {
        return json.createReaderFactory(config);
    }

    @Override
    public JsonObjectBuilder createObjectBuilder() {
        return json.createObjectBuilder();
    }

    @Override
    public JsonObjectBuilder createObjectBuilder(JsonObject object) {
        return json.createObjectBuilder(object);
    }

    @Override
    public JsonObjectBuilder createObjectBuilder(Map<String, ?> map) {
        return json.createObjectBuilder(map);
    }

    @Override
    public JsonArrayBuilder createArrayBuilder() {
        return json.createArrayBuilder();
    }

    @Override
    public JsonArrayBuilder createArrayBuilder(JsonArray array) {
        return json.createArrayBuilder(array);
    }

    @Override
    public JsonArrayBuilder createArrayBuilder(Collection<?> collection) {
        return json.createArrayBuilder(collection);
    }

    @Override
    public JsonPointer createPointer(String pointer) {
        return json.createPointer(pointer);
    }

    @Override
    public JsonPatchBuilder createPatchBuilder() {
        return json.createPatchBuilder();
    }

    @Override
    public JsonPatchBuilder createPatchBuilder(JsonArray array) {
        return json.createPatchBuilder(array);
    }

    @Override
    public JsonPatch createPatch(JsonArray array) {
        return json.createPatch(array);
    }

    @Override
    public JsonPatch createDiff(JsonStructure source, JsonStructure target) {
        return json.createDiff(source, target);
    }

    @Override
    public JsonMergePatch createMergePatch(JsonValue patch) {
        return json.createMergePatch(patch);
    }

    @Override
    public JsonMergePatch createMergeDiff(JsonValue source, JsonValue target) {
        return json.createMergeDiff(source, target);
    }

    @Override
    public JsonBuilderFactory createBuilderFactory(Map<String, ?> config) {
        return json.createBuilderFactory(config);
    }

    @Override
    public JsonString createValue(String value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(int value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(long value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(double value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(BigDecimal value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(BigInteger value) {
        return json.createValue(value);
    }

    @Override
    public JsonNumber createValue(Number number) {
        return json.createValue(number);
    }

    /** A parser whose {@code getInt} and {@code getLong} refuse to narrow. */
    private static final class Parser implements JsonParser {
        private final JsonParser parser;

        Parser(JsonParser parser) {
            this.parser = parser;
        }

        @Override
        public int getInt() {
            try {
                return parser.getBigDecimal().intValueExact();
            } catch (ArithmeticException e) {
                throw new JsonbException("not an exact int", e);
            }
        }

        @Override
        public long getLong() {
            try {
                return parser.getBigDecimal().longValueExact();
            } catch (ArithmeticException e) {
                throw new JsonbException("not an exact long", e);
            }
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            return parser.next();
        }

        @Override
        public Event currentEvent() {
            return parser.currentEvent();
        }

        @Override
        public String getString() {
            return parser.getString();
        }

        @Override
        public boolean isIntegralNumber() {
            return parser.isIntegralNumber();
        }

        @Override
        public BigDecimal getBigDecimal() {
            return parser.getBigDecimal();
        }

        @Override
        public JsonLocation getLocation() {
            return parser.getLocation();
        }

        @Override
        public JsonObject getObject() {
            return parser.getObject();
        }

        @Override
        public JsonValue getValue() {
            return parser.getValue();
        }

        @Override
        public JsonArray getArray() {
            return parser.getArray();
        }

        @Override
        public Stream<JsonValue> getArrayStream() {
            return parser.getArrayStream();
        }

        @Override
        public Stream<Map.Entry<String, JsonValue>> getObjectStream() {
            return parser.getObjectStream();
        }

        @Override
        public Stream<JsonValue> getValueStream() {
            return parser.getValueStream();
        }

        @Override
        public void skipArray() {
            parser.skipArray();
        }

        @Override
        public void skipObject() {
            parser.skipObject();
        }

        @Override
        public void close() {
            parser.close();
        }
    }
}
