package dev.wsrv.runtime.codec;

import dev.wsrv.Reply;
import jakarta.json.JsonValue;
import jakarta.websocket.Encoder;

/**
 * Encodes the response (and push) envelope. The five fields are written in protocol order; {@code data} is
 * serialised with the shared JSON-B instance, {@code null} as {@code {}}.
 */
public class ReplyEncoder implements Encoder.Text<Reply> {

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
        String data = dataJson(reply.data());
        StringBuilder b = new StringBuilder(48 + reply.cmd().length() + reply.seqno().length() + data.length());
        b.append("{\"cmd\":");
        quote(b, reply.cmd());
        b.append(",\"seqno\":");
        quote(b, reply.seqno());
        b.append(",\"status\":").append(reply.status()).append(",\"msg\":");
        quote(b, reply.msg());
        b.append(",\"data\":").append(data).append('}');
        return b.toString();
    }

    private static String dataJson(Object data) {
        if (data == null) {
            return "{}";
        }
        if (data instanceof JsonValue v) {
            return v == JsonValue.NULL ? "{}" : v.toString();
        }
        return Json.jsonb().toJson(data);
    }

    /**
     * Appends a JSON string literal.
     *
     * @param b where to append
     * @param s the string
     */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
