package dev.wsrv.it.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wsrv.client.WsrvClient;
import dev.wsrv.client.WsrvStatusException;
import dev.wsrv.test.WsrvTest;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's table of what binds to what, row by row, through a real client: each accepted value comes back as the
 * handler bound it, each refused one is a 422 with the path of the value and what was expected there.
 */
@WsrvTest(beans = BindingCommands.class)
class BindingTest {

    @ParameterizedTest(name = "{0} binds {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            String     | `"lobby"`                                | `"lobby"`
            char       | `"a"`                                    | `"a"`
            Color      | `"GREEN"`                                | `"GREEN"`
            UUID       | `"0b6f3c8e-6a9c-4d0e-9a53-3c1f0d1e2a7b"` | `"0b6f3c8e-6a9c-4d0e-9a53-3c1f0d1e2a7b"`
            LocalDate  | `"2026-11-30"`                           | `"2026-11-30"`
            Instant    | `"2026-11-30T06:00:00Z"`                 | `"2026-11-30T06:00:00Z"`
            int        | 7                                        | 7
            int        | `"7"`                                    | 7
            Integer    | -7                                       | -7
            long       | 9007199254740993                         | 9007199254740993
            short      | 32767                                    | 32767
            byte       | -128                                     | -128
            BigInteger | 123456789012345678901234567890           | 123456789012345678901234567890
            double     | 1.5                                      | 1.5
            double     | 2                                        | 2.0
            float      | 0.25                                     | 0.25
            BigDecimal | 1.10                                     | 1.10
            boolean    | true                                     | true
            Boolean    | false                                    | false
            Room       | `{"name":"a","size":2}`                  | `{"name":"a","size":2}`
            Room       | `{"name":"a","size":2,"other":1}`        | `{"name":"a","size":2}`
            Bean       | `{"name":"b","active":true}`             | `{"active":true,"name":"b"}`
            Map        | `{"a":1,"b":2}`                          | `{"a":1,"b":2}`
            JsonObject | `{"x":[1,"y",null]}`                     | `{"x":[1,"y",null]}`
            List       | `["a","b"]`                              | `["a","b"]`
            Set        | `[3]`                                    | `[3]`
            array      | `[1,2]`                                  | `[1,2]`
            JsonArray  | `[1,{"a":"b"}]`                          | `[1,{"a":"b"}]`
            JsonValue  | `"any"`                                  | `"any"`
            Object     | `{"a":[1,"x",true,null]}`                | `{"a":[1,"x",true,null]}`
            Holder     | `{"text":null,"boxed":null}`             | `{"primitive":0}`
            Holder     | `{"primitive":"7"}`                      | `{"primitive":7}`
            """)
    void binds(String cmd, String data, String echoed, WsrvClient client) {
        assertThat(client.call(cmd, json(data)).toString()).isEqualTo(echoed);
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            String     | 5                                        | ``          | expected a string
            String     | true                                     | ``          | expected a string
            String     | `{"a":1}`                                | ``          | expected a string
            char       | 1                                        | ``          | expected a string
            Color      | `"BLUE"`                                 | ``          | expected one of RED, GREEN
            UUID       | `"not-a-uuid"`                           | ``          | does not match the expected type
            int        | 1.5                                      | ``          | expected an integer that fits int
            int        | 2147483648                               | ``          | expected an integer that fits int
            Integer    | `"7"`                                    | ``          | expected an integer (int)
            byte       | 128                                      | ``          | expected an integer that fits byte
            double     | `[1]`                                    | ``          | expected a number
            Boolean    | 1                                        | ``          | expected true or false
            boolean    | `"true"`                                 | ``          | expected true or false
            Room       | `[1]`                                    | ``          | expected an object
            Room       | `{"name":5,"size":2}`                    | name        | expected a string
            Holder     | `{"boxed":"2"}`                          | boxed       | expected an integer (int)
            Holder     | `{"primitive":null}`                     | primitive   | expected an integer (int)
            Holder     | `{"real":"1.5"}`                         | real        | expected a number
            Holder     | `{"primitive":"x"}`                      | primitive   | has the wrong type or format
            Map        | `{"a":1,"b":"x"}`                        | b           | expected an integer (int)
            List       | `"a"`                                    | ``          | expected an array
            Rooms      | `{"rooms":["a","b",3]}`                  | rooms[2]    | expected a string
            Nested     | `{"a":{"b":[{"c":1}]}}`                  | a.b[0].c    | expected a string
            Set        | `[1,"x"]`                                | [1]         | expected an integer (int)
            Holder     | `{"text":"t","boxed":1,"flag":"yes"}`    | flag        | expected true or false
            """)
    void refuses(String cmd, String data, String path, String message, WsrvClient client) {
        WsrvStatusException e = catchThrowableOfType(WsrvStatusException.class, () -> client.call(cmd, json(data)));
        assertThat(e).as("%s %s", cmd, data).isNotNull();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.data().toString()).isEqualTo(Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("message", message).add("path", path == null ? "" : path)).build().toString());
    }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }
}
