package dev.wsrv.runtime.codec;

import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.function.Supplier;

/**
 * A request's {@code data} as the text it came in: where it stands in the frame, which the envelope reader has
 * checked already (well-formed, within the limits on its shape and on numbers). A handler's typed parameter binds
 * from this text; the {@link JsonValue} is built only when middleware or a handler asks for it.
 *
 * <p>Thread-safe; {@link #get()} makes a new value on every call (the request calls it once and keeps the value).
 * Two are equal when their texts are.
 */
public final class RawData implements Supplier<JsonValue> {

    /** No {@code data} in the envelope. */
    static final RawData ABSENT = new RawData("null", 0, 4);

    private final String frame;
    private final int start;
    private final int end;
    /** The value built from the text, once something looked inside; guarded by {@code this} for writing. */
    private volatile JsonValue built;

    RawData(String frame, int start, int end) {
        this.frame = frame;
        this.start = start;
        this.end = end;
    }

    /**
     * Tells whether the data is absent or JSON {@code null}.
     *
     * @return {@code true} for no data
     */
    public boolean isNull() {
        return end - start == 4 && frame.startsWith("null", start);
    }

    /**
     * Returns the data's JSON text.
     *
     * @return the text, {@code null} (the JSON literal) for no data
     */
    public String text() {
        return start == 0 && end == frame.length() ? frame : frame.substring(start, end);
    }

    /**
     * Returns the data's value: an object or array that is built from the text on the first look inside it (and
     * whose text a reply copies when it is passed on as it is), any other value built now.
     *
     * @return the value
     */
    @Override
    public JsonValue get() {
        char first = frame.charAt(start);
        return first == '{' ? new DeferredObject(this) : first == '[' ? new DeferredArray(this) : parse();
    }

    /** The value of an object or array that something looks inside: built on the first look, once. */
    JsonValue built() {
        JsonValue v = built;
        if (v == null) {
            synchronized (this) {
                v = built;
                if (v == null) {
                    v = parse();
                    built = v;
                }
            }
        }
        return v;
    }

    /** Builds the data's value from its text. */
    private JsonValue parse() {
        if (isNull()) {
            return JsonValue.NULL;
        }
        try (JsonParser parser = Json.parsers().createParser(new StringReader(text()))) {
            parser.next();
            return parser.getValue();
        }
    }

    /** The frame the data stands in, for {@link ReplyEncoder} to copy from. */
    String frame() {
        return frame;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawData r && end - start == r.end - r.start
                && frame.regionMatches(start, r.frame, r.start, end - start);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + frame.charAt(i);
        }
        return h;
    }

    @Override
    public String toString() {
        return text();
    }
}
