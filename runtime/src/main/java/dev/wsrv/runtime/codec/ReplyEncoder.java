package dev.wsrv.runtime.codec;

import dev.wsrv.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.Encoder;
import java.util.Map;

/**
 * Encodes the response (and push) envelope. The five fields are written in protocol order; {@code data} is
 * serialised with the shared JSON-B instance, {@code null} as {@code {}}.
 *
 * <p>The text is always valid UTF-16, so that every container can send it as UTF-8: an unpaired surrogate in any
 * string (a client's {@code cmd} or {@code seqno}, a handler's data) is written as its JSON escape (backslash, u,
 * four hex digits), which a JSON reader turns back into the same character (see docs/protocol.md#response).
 */
public class ReplyEncoder implements Encoder.Text<Reply> {

    private static final int MAX_REUSED = 64 * 1024;
    private static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(512));

    /** Creates the encoder; the container calls this. */
    public ReplyEncoder() {
    }

    @Override
    public String encode(Reply reply) {
        return toJson(reply);
    }

    /**
     * Encodes a reply.
     *
     * @param reply the reply
     * @return its JSON text
     * @throws jakarta.json.bind.JsonbException if {@code data} cannot be serialised
     */
    public static String toJson(Reply reply) {
        // one builder per thread, so that the only allocation of an encode is the resulting String; JSON-P data
        // (an echoed request, say) is written straight into it rather than through its own toString()
        StringBuilder b = BUFFER.get();
        b.setLength(0);
        b.append("{\"cmd\":");
        quote(b, reply.cmd());
        b.append(",\"seqno\":");
        quote(b, reply.seqno());
        b.append(",\"status\":").append(reply.status()).append(",\"msg\":");
        quote(b, reply.msg());
        b.append(",\"data\":");
        Object data = reply.data();
        if (data == null || data == JsonValue.NULL) {
            b.append("{}");
        } else if (data instanceof JsonValue v) {
            write(b, v);
        } else {
            String json = Json.jsonb().toJson(data);
            appendEscaping(b, json, 0, json.length(), false);
        }
        String json = b.append('}').toString();
        if (b.capacity() > MAX_REUSED) {
            // a rare huge reply does not pin its buffer to the thread
            BUFFER.remove();
        }
        return json;
    }

    private static void write(StringBuilder b, JsonValue v) {
        if (v instanceof Deferred d) {
            // a request's data passed on as it came: its text, never built, with what quote() escapes in strings
            // and the text can hold (its other characters are all valid in a reply as they are)
            RawData raw = d.raw();
            appendEscaping(b, raw.frame(), raw.start(), raw.end(), true);
            return;
        }
        switch (v.getValueType()) {
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> e : ((JsonObject) v).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                boolean first = true;
                for (JsonValue e : (JsonArray) v) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, e);
                }
                b.append(']');
            }
            case STRING -> quote(b, ((JsonString) v).getString());
            case NUMBER -> b.append(v);
            case TRUE -> b.append("true");
            case FALSE -> b.append("false");
            default -> b.append("null");
        }
    }

    /**
     * Appends a JSON string literal; runs of characters that need no escape are appended in one call.
     *
     * @param b where to append
     * @param s the string
     */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        int run = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029 && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            b.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> unicodeEscape(b, c);
            }
        }
        b.append(s, run, n).append('"');
    }

    /**
     * Appends JSON text with its unpaired surrogates escaped, and U+2028 and U+2029 too when asked. Outside string
     * literals JSON text is ASCII, so every such character stands inside a literal, where its escape means the same
     * character.
     */
    private static void appendEscaping(StringBuilder b, String json, int from, int to, boolean lineSeparators) {
        int run = from;
        for (int i = from; i < to; i++) {
            char c = json.charAt(i);
            if (c < 0x2028 || !Character.isSurrogate(c) && !(lineSeparators && (c == 0x2028 || c == 0x2029))) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++;
                continue;
            }
            b.append(json, run, i);
            unicodeEscape(b, c);
            run = i + 1;
        }
        b.append(json, run, to);
    }

    private static void unicodeEscape(StringBuilder b, char c) {
        b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
