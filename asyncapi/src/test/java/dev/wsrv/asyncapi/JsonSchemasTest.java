package dev.wsrv.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    enum Color { RED, GREEN }

    record Tag(@NotBlank String name) {
    }

    record Everything(
            @NotNull @Positive Long id,
            int count,
            @Size(min = 2, max = 5) String code,
            @Pattern(regexp = "[a-z]+") String slug,
            @Min(1) @Max(10) Integer level,
            @PositiveOrZero short small,
            @Negative double below,
            @DecimalMax(value = "9.5", inclusive = false) BigDecimal price,
            @Email String mail,
            boolean flag,
            Boolean maybe,
            Color color,
            @NotEmpty List<Tag> tags,
            @Size(max = 3) Set<String> names,
            Tag[] array,
            Map<String, Integer> scores,
            Optional<String> note,
            UUID uuid,
            LocalDate day,
            Instant at,
            BigInteger big,
            char letter,
            JsonValue anything,
            Object object,
            @JsonbProperty("renamed") String original,
            @JsonbTransient String hidden) {
    }

    record Tree(String label, List<Tree> children) {
    }

    /** A class with a public field, a getter and a setter, as JSON-B reads it. */
    public static class Bean {
        public String field;
        private long number;

        public long getNumber() {
            return number;
        }

        public void setNumber(long number) {
            this.number = number;
        }

        public boolean isActive() {
            return true;
        }
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    @Test
    void everyKindOfPropertyHasItsExactSchema() {
        JsonSchemas schemas = new JsonSchemas();
        assertThat(schemas.schema(Everything.class)).isEqualTo(json("{'$ref':'#/components/schemas/JsonSchemasTest.Everything'}"));
        Map<String, JsonObject> named = schemas.named();
        assertThat(named.keySet()).containsExactly("JsonSchemasTest.Everything", "JsonSchemasTest.Color",
                "JsonSchemasTest.Tag");
        JsonObject e = named.get("JsonSchemasTest.Everything");
        assertThat(e.getString("type")).isEqualTo("object");
        assertThat(e.getJsonArray("required")).isEqualTo(Json.createArrayBuilder().add("id").add("tags").build());
        JsonObject p = e.getJsonObject("properties");
        assertThat(p.keySet()).containsExactly("id", "count", "code", "slug", "level", "small", "below", "price",
                "mail", "flag", "maybe", "color", "tags", "names", "array", "scores", "note", "uuid", "day", "at",
                "big", "letter", "anything", "object", "renamed");
        assertThat(p.getJsonObject("id")).isEqualTo(json("{'type':'integer','format':'int64','exclusiveMinimum':0}"));
        assertThat(p.getJsonObject("count")).isEqualTo(json("{'type':'integer','format':'int32'}"));
        assertThat(p.getJsonObject("code")).isEqualTo(json("{'type':'string','minLength':2,'maxLength':5}"));
        assertThat(p.getJsonObject("slug")).isEqualTo(json("{'type':'string','pattern':'^(?:[a-z]+)$'}"));
        assertThat(p.getJsonObject("level")).isEqualTo(json("{'type':'integer','format':'int32','minimum':1,'maximum':10}"));
        assertThat(p.getJsonObject("small")).isEqualTo(json("{'type':'integer','minimum':0,'maximum':32767}"));
        assertThat(p.getJsonObject("below")).isEqualTo(json("{'type':'number','format':'double','exclusiveMaximum':0}"));
        assertThat(p.getJsonObject("price")).isEqualTo(json("{'type':'number','exclusiveMaximum':9.5}"));
        assertThat(p.getJsonObject("mail")).isEqualTo(json("{'type':'string','format':'email'}"));
        assertThat(p.getJsonObject("flag")).isEqualTo(json("{'type':'boolean'}"));
        assertThat(p.getJsonObject("maybe")).isEqualTo(json("{'type':'boolean'}"));
        assertThat(p.getJsonObject("color")).isEqualTo(json("{'$ref':'#/components/schemas/JsonSchemasTest.Color'}"));
        assertThat(p.getJsonObject("tags")).isEqualTo(
                json("{'type':'array','items':{'$ref':'#/components/schemas/JsonSchemasTest.Tag'},'minItems':1}"));
        assertThat(p.getJsonObject("names")).isEqualTo(
                json("{'type':'array','items':{'type':'string'},'uniqueItems':true,'maxItems':3}"));
        assertThat(p.getJsonObject("array")).isEqualTo(
                json("{'type':'array','items':{'$ref':'#/components/schemas/JsonSchemasTest.Tag'}}"));
        assertThat(p.getJsonObject("scores")).isEqualTo(
                json("{'type':'object','additionalProperties':{'type':'integer','format':'int32'}}"));
        assertThat(p.getJsonObject("note")).isEqualTo(json("{'type':'string'}"));
        assertThat(p.getJsonObject("uuid")).isEqualTo(json("{'type':'string','format':'uuid'}"));
        assertThat(p.getJsonObject("day")).isEqualTo(json("{'type':'string','format':'date'}"));
        assertThat(p.getJsonObject("at")).isEqualTo(json("{'type':'string','format':'date-time'}"));
        assertThat(p.getJsonObject("big")).isEqualTo(json("{'type':'integer'}"));
        assertThat(p.getJsonObject("letter")).isEqualTo(json("{'type':'string','minLength':1,'maxLength':1}"));
        assertThat(p.getJsonObject("anything")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(p.getJsonObject("object")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(p.getJsonObject("renamed")).isEqualTo(json("{'type':'string'}"));

        assertThat(named.get("JsonSchemasTest.Color")).isEqualTo(json("{'type':'string','enum':['RED','GREEN']}"));
        assertThat(named.get("JsonSchemasTest.Tag")).isEqualTo(json(
                "{'type':'object','properties':{'name':{'type':'string','minLength':1,'pattern':'\\\\S'}},'required':['name']}"));
    }

    @Test
    void aRecursiveTypeRefersToItself() {
        JsonSchemas schemas = new JsonSchemas();
        assertThat(schemas.schema(Tree.class)).isEqualTo(json("{'$ref':'#/components/schemas/JsonSchemasTest.Tree'}"));
        assertThat(schemas.named().get("JsonSchemasTest.Tree")).isEqualTo(json("{'type':'object','properties':{"
                + "'label':{'type':'string'},"
                + "'children':{'type':'array','items':{'$ref':'#/components/schemas/JsonSchemasTest.Tree'}}}}"));
    }

    @Test
    void aClassHasItsPublicFieldsAndBeanProperties() {
        JsonSchemas schemas = new JsonSchemas();
        schemas.schema(Bean.class);
        JsonObject bean = schemas.named().get("JsonSchemasTest.Bean");
        assertThat(bean.getJsonObject("properties")).isEqualTo(json("{'field':{'type':'string'},"
                + "'number':{'type':'integer','format':'int64'},'active':{'type':'boolean'}}"));
        assertThat(bean.containsKey("required")).isFalse();
    }

    @Test
    void topLevelTypesAreWrittenInlineAndUnknownOnesAreOpen() throws Exception {
        JsonSchemas schemas = new JsonSchemas();
        Type listOfLongs = JsonSchemasTest.class.getDeclaredMethod("listOfLongs").getGenericReturnType();
        assertThat(schemas.schema(listOfLongs)).isEqualTo(json("{'type':'array','items':{'type':'integer','format':'int64'}}"));
        Type mapOfObjects = JsonSchemasTest.class.getDeclaredMethod("mapOfObjects").getGenericReturnType();
        assertThat(schemas.schema(mapOfObjects)).isEqualTo(json("{'type':'object','additionalProperties':{}}"));
        assertThat(schemas.schema(String.class)).isEqualTo(json("{'type':'string'}"));
        assertThat(schemas.schema(int[].class)).isEqualTo(json("{'type':'array','items':{'type':'integer','format':'int32'}}"));
        assertThat(schemas.schema(null)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(schemas.schema(jakarta.json.JsonObject.class)).isEqualTo(json("{'type':'object'}"));
        assertThat(schemas.schema(CompletionStage.class)).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(schemas.named()).isEmpty();
    }

    List<Long> listOfLongs() {
        return List.of();
    }

    Map<String, Object> mapOfObjects() {
        return Map.of();
    }
}
