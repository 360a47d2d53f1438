package dev.wsrv.runtime.codec;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.util.Arrays;
import java.util.Map;

/**
 * The one {@link Jsonb} and JSON-P parser factory of this application.
 *
 * <p>Both are thread-safe and costly to build, so they are built once, on first use. Decoders and encoders are
 * created by the WebSocket container, outside CDI, which is why this is a holder and not a bean.
 */
public final class Json {

    /** How many characters a number in a frame may have; a longer one makes the frame a 400. */
    public static final int MAX_NUMBER_LENGTH = 1_100;

    private Json() {
    }

    /**
     * Returns the shared JSON-B instance.
     *
     * @return the instance
     */
    public static Jsonb jsonb() {
        return Holder.JSONB;
    }

    /**
     * Returns the shared JSON-P parser factory.
     *
     * @return the factory
     */
    public static JsonParserFactory parsers() {
        return Holder.PARSERS;
    }

    /**
     * Returns the shared JSON-P provider.
     *
     * @return the provider
     */
    public static JsonProvider provider() {
        return Holder.PROVIDER;
    }

    /**
     * Returns the shared JSON-P builder factory, for values built while they are read.
     *
     * @return the factory
     */
    public static JsonBuilderFactory builders() {
        return Holder.BUILDERS;
    }

    /**
     * Walks past a value whose first event was just read. Parsson's own skipObject/skipArray spin for ever when the
     * input ends inside the value ({"x":[ is enough); next() throws there instead, and it applies the parser's depth
     * limit.
     *
     * @param parser the parser, just past {@code value}
     * @param value the value's first event
     */
    public static void skip(JsonParser parser, JsonParser.Event value) {
        if (value == JsonParser.Event.START_OBJECT || value == JsonParser.Event.START_ARRAY) {
            skipOpen(parser, 1);
        }
    }

    /** Walks events until {@code open} containers, whose start events were already read, have ended. */
    static void skipOpen(JsonParser parser, int open) {
        int depth = open;
        while (depth > 0) {
            JsonParser.Event e = parser.next();
            if (e == JsonParser.Event.START_OBJECT || e == JsonParser.Event.START_ARRAY) {
                depth++;
            } else if (e == JsonParser.Event.END_OBJECT || e == JsonParser.Event.END_ARRAY) {
                depth--;
            }
        }
    }

    /** The binding rules of request data (docs/protocol.md#binding). */
    private static JsonbDeserializer<?>[] deserializers() {
        JsonbDeserializer<?>[] integers = ExactIntegers.all();
        JsonbDeserializer<?>[] all = Arrays.copyOf(integers, integers.length + 1);
        all[integers.length] = new StrictStrings();
        return all;
    }

    private static final class Holder {
        static final JsonProvider PROVIDER = JsonProvider.provider();
        // Parsson's own bound, named so that it holds whatever Parsson's default: a number longer than this is
        // malformed input (docs/protocol.md#request)
        static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(
                Map.of("org.eclipse.parsson.maxBigDecimalLength", MAX_NUMBER_LENGTH));
        static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
        static final Jsonb JSONB = JsonbBuilder.newBuilder()
                .withConfig(new JsonbConfig().withDeserializers(deserializers()))
                .withProvider(new ExactNumbers(PROVIDER))
                .build();
    }
}
