package dev.wsrv.runtime.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.bind.JsonbException;
import org.junit.jupiter.api.Test;

class ExactIntegersTest {

    public record Numbers(Integer i, Long l, Short s, Byte b) {
    }

    @Test
    void boxedIntegralTypesBindOnlyFromNumbersThatFitExactly() {
        assertThat(Json.jsonb().fromJson("{\"i\":7,\"l\":9007199254740993,\"s\":-300,\"b\":127}", Numbers.class))
                .isEqualTo(new Numbers(7, 9007199254740993L, (short) -300, (byte) 127));
        for (String bad : new String[] {"{\"i\":1e999999999}", "{\"i\":2147483648}", "{\"i\":1.5}", "{\"i\":\"7\"}",
            "{\"l\":1e30}", "{\"s\":40000}", "{\"b\":128}"}) {
            assertThatThrownBy(() -> Json.jsonb().fromJson(bad, Numbers.class)).as(bad).isInstanceOf(JsonbException.class);
        }
    }

    public record Primitives(int i, long l, short s, byte b) {
    }

    @Test
    void primitiveIntegralTypesBindOnlyFromNumbersThatFitExactly() {
        assertThat(Json.jsonb().fromJson("{\"i\":-7,\"l\":9007199254740993,\"s\":-300,\"b\":127}", Primitives.class))
                .isEqualTo(new Primitives(-7, 9007199254740993L, (short) -300, (byte) 127));
        assertThat(Json.jsonb().fromJson("{\"i\":1e2,\"l\":5.0}", Primitives.class))
                .isEqualTo(new Primitives(100, 5L, (short) 0, (byte) 0));
        for (String bad : new String[] {"{\"i\":1e999999999}", "{\"i\":2147483648}", "{\"i\":1.5}", "{\"i\":-1e-3}",
            "{\"l\":1e30}", "{\"l\":9223372036854775808}", "{\"l\":0.5}", "{\"s\":40000}", "{\"s\":1.5}",
            "{\"b\":128}", "{\"b\":-129}"}) {
            assertThatThrownBy(() -> Json.jsonb().fromJson(bad, Primitives.class)).as(bad)
                    .isInstanceOf(JsonbException.class);
        }
    }
}
