package dev.wsrv.runtime.codec;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.AbstractList;
import java.util.List;

/**
 * A request's {@code data} array, built from its text on the first look inside; see {@link DeferredObject}.
 *
 * <p>Immutable and thread-safe: the first look builds the array once, by its text.
 */
final class DeferredArray extends AbstractList<JsonValue> implements JsonArray, Deferred {

    private final RawData raw;

    DeferredArray(RawData raw) {
        this.raw = raw;
    }

    @Override
    public RawData raw() {
        return raw;
    }

    private JsonArray value() {
        return raw.built().asJsonArray();
    }

    @Override
    public JsonValue get(int index) {
        return value().get(index);
    }

    @Override
    public int size() {
        return value().size();
    }

    @Override
    public JsonObject getJsonObject(int index) {
        return value().getJsonObject(index);
    }

    @Override
    public JsonArray getJsonArray(int index) {
        return value().getJsonArray(index);
    }

    @Override
    public JsonNumber getJsonNumber(int index) {
        return value().getJsonNumber(index);
    }

    @Override
    public JsonString getJsonString(int index) {
        return value().getJsonString(index);
    }

    @Override
    public <T extends JsonValue> List<T> getValuesAs(Class<T> clazz) {
        return value().getValuesAs(clazz);
    }

    @Override
    public String getString(int index) {
        return value().getString(index);
    }

    @Override
    public String getString(int index, String defaultValue) {
        return value().getString(index, defaultValue);
    }

    @Override
    public int getInt(int index) {
        return value().getInt(index);
    }

    @Override
    public int getInt(int index, int defaultValue) {
        return value().getInt(index, defaultValue);
    }

    @Override
    public boolean getBoolean(int index) {
        return value().getBoolean(index);
    }

    @Override
    public boolean getBoolean(int index, boolean defaultValue) {
        return value().getBoolean(index, defaultValue);
    }

    @Override
    public boolean isNull(int index) {
        return value().isNull(index);
    }

    @Override
    public ValueType getValueType() {
        return ValueType.ARRAY;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || value().equals(o);
    }

    @Override
    public int hashCode() {
        return value().hashCode();
    }

    @Override
    public String toString() {
        return value().toString();
    }
}
