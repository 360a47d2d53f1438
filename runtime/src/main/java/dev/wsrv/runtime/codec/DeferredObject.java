package dev.wsrv.runtime.codec;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.AbstractMap;
import java.util.Set;

/**
 * A request's {@code data} object, built from its text on the first look inside. A handler that only passes it on
 * (an echo, a relay) never has it built: the reply copies its text.
 *
 * <p>Immutable and thread-safe: the first look builds the object once, by its text.
 */
final class DeferredObject extends AbstractMap<String, JsonValue> implements JsonObject, Deferred {

    private final RawData raw;

    DeferredObject(RawData raw) {
        this.raw = raw;
    }

    @Override
    public RawData raw() {
        return raw;
    }

    private JsonObject value() {
        return raw.built().asJsonObject();
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return value().entrySet();
    }

    @Override
    public JsonValue get(Object key) {
        return value().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return value().containsKey(key);
    }

    @Override
    public int size() {
        return value().size();
    }

    @Override
    public JsonArray getJsonArray(String name) {
        return value().getJsonArray(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
        return value().getJsonObject(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
        return value().getJsonNumber(name);
    }

    @Override
    public JsonString getJsonString(String name) {
        return value().getJsonString(name);
    }

    @Override
    public String getString(String name) {
        return value().getString(name);
    }

    @Override
    public String getString(String name, String defaultValue) {
        return value().getString(name, defaultValue);
    }

    @Override
    public int getInt(String name) {
        return value().getInt(name);
    }

    @Override
    public int getInt(String name, int defaultValue) {
        return value().getInt(name, defaultValue);
    }

    @Override
    public boolean getBoolean(String name) {
        return value().getBoolean(name);
    }

    @Override
    public boolean getBoolean(String name, boolean defaultValue) {
        return value().getBoolean(name, defaultValue);
    }

    @Override
    public boolean isNull(String name) {
        return value().isNull(name);
    }

    @Override
    public ValueType getValueType() {
        return ValueType.OBJECT;
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
