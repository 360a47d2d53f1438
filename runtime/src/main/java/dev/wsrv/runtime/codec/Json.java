package dev.wsrv.runtime.codec;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParserFactory;
import java.util.Map;

/**
 * The one {@link Jsonb} and JSON-P parser factory of this application.
 *
 * <p>Both are thread-safe and costly to build, so they are built once, on first use. Decoders and encoders are
 * created by the WebSocket container, outside CDI, which is why this is a holder and not a bean.
 */
public final class Json {

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

    private static final class Holder {
        static final JsonProvider PROVIDER = JsonProvider.provider();
        static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
        static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
        static final Jsonb JSONB = JsonbBuilder.newBuilder()
                .withConfig(new JsonbConfig().withDeserializers(ExactIntegers.all()))
                .withProvider(new ExactNumbers(PROVIDER))
                .build();
    }
}
