package dev.wsrv.it.binding;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One command per Java type of the README's binding table: each echoes what it bound, as JSON-B writes it. */
@ApplicationScoped
public class BindingCommands {

    public enum Color { RED, GREEN }

    public record Room(String name, int size) { }

    public record Nested(Inner a) {
        public record Inner(List<Leaf> b) { }

        public record Leaf(String c) { }
    }

    public record Rooms(List<String> rooms) { }

    /** A bean with a public no-argument constructor and properties, as JSON-B binds them. */
    public static class Bean {
        private String name;
        private Boolean active;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Boolean getActive() {
            return active;
        }

        public void setActive(Boolean active) {
            this.active = active;
        }
    }

    public record Holder(String text, Integer boxed, int primitive, Double real, Boolean flag) { }

    @Command("String") public String string(String v) { return v; }
    @Command("char") public char character(char v) { return v; }
    @Command("Object") public Object object(Object v) { return v; }
    @Command("Color") public Color color(Color v) { return v; }
    @Command("UUID") public UUID uuid(UUID v) { return v; }
    @Command("LocalDate") public LocalDate localDate(LocalDate v) { return v; }
    @Command("Instant") public Instant instant(Instant v) { return v; }
    @Command("int") public int primitiveInt(int v) { return v; }
    @Command("Integer") public Integer boxedInt(Integer v) { return v; }
    @Command("long") public long primitiveLong(long v) { return v; }
    @Command("short") public short primitiveShort(short v) { return v; }
    @Command("byte") public byte primitiveByte(byte v) { return v; }
    @Command("BigInteger") public BigInteger bigInteger(BigInteger v) { return v; }
    @Command("double") public double primitiveDouble(double v) { return v; }
    @Command("float") public float primitiveFloat(float v) { return v; }
    @Command("BigDecimal") public BigDecimal bigDecimal(BigDecimal v) { return v; }
    @Command("boolean") public boolean primitiveBoolean(boolean v) { return v; }
    @Command("Boolean") public Boolean boxedBoolean(Boolean v) { return v; }
    @Command("Room") public Room room(Room v) { return v; }
    @Command("Bean") public Bean bean(Bean v) { return v; }
    @Command("Map") public Map<String, Integer> map(Map<String, Integer> v) { return v; }
    @Command("JsonObject") public JsonObject jsonObject(JsonObject v) { return v; }
    @Command("List") public List<String> list(List<String> v) { return v; }
    @Command("Set") public Set<Integer> set(Set<Integer> v) { return v; }
    @Command("array") public int[] array(int[] v) { return v; }
    @Command("JsonArray") public JsonArray jsonArray(JsonArray v) { return v; }
    @Command("JsonValue") public JsonValue jsonValue(JsonValue v) { return v; }
    @Command("Holder") public Holder holder(Holder v) { return v; }
    @Command("Rooms") public Rooms rooms(Rooms v) { return v; }
    @Command("Nested") public Nested nested(Nested v) { return v; }
}
