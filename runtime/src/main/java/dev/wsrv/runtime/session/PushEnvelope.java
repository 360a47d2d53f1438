package dev.wsrv.runtime.session;

import dev.wsrv.runtime.codec.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;

/**
 * An encoded push split around its {@code seqno} value, so that each resumable session gets the same text with its
 * own number (docs/protocol.md#push-seqno) while the payload is encoded and held once. Immutable.
 */
final class PushEnvelope {

    private static final String KEY = ",\"seqno\":\"";

    private final String head;
    private final String tail;
    private final String text;

    private PushEnvelope(String head, String tail, String text) {
        this.head = head;
        this.tail = tail;
        this.text = text;
    }

    /**
     * Splits an envelope as wsrv encodes it: {@code cmd} first, then {@code seqno}, whose value has no escapes.
     * The first {@code ,"seqno":"} is the key: inside the escaped {@code cmd} a quote is always preceded by a
     * backslash.
     *
     * @param text the envelope
     * @return the split envelope, or {@code null} when the text is not shaped that way (a foreign publisher's)
     */
    static PushEnvelope of(String text) {
        int at = text.indexOf(KEY);
        if (at < 0 || !text.startsWith("{\"cmd\":\"")) {
            return null;
        }
        int start = at + KEY.length();
        int end = text.indexOf('"', start);
        if (end < 0 || text.lastIndexOf('\\', end) >= start) {
            return null;
        }
        return new PushEnvelope(text.substring(0, start), text.substring(end), text);
    }

    /**
     * Splits any push envelope, also one a publisher outside the cluster wrote in another key order: an object with
     * a string {@code cmd} is written again, {@code cmd} and {@code seqno} first and its other members as they were.
     *
     * @param text the envelope
     * @return the split envelope, or {@code null} when the text is not a JSON object with a string {@code cmd}
     */
    static PushEnvelope ofAny(String text) {
        PushEnvelope split = of(text);
        if (split != null) {
            return split;
        }
        JsonObject o;
        try (JsonReader r = Json.provider().createReader(new StringReader(text))) {
            if (!(r.readValue() instanceof JsonObject obj) || !(obj.get("cmd") instanceof JsonString)) {
                return null;
            }
            o = obj;
        } catch (RuntimeException e) {
            return null;
        }
        JsonObjectBuilder b = Json.builders().createObjectBuilder()
                .add("cmd", o.get("cmd")).add("seqno", PushIds.next());
        o.forEach((k, v) -> {
            if (!k.equals("cmd") && !k.equals("seqno")) {
                b.add(k, v);
            }
        });
        return of(b.build().toString());
    }

    /**
     * Returns the text with another seqno.
     *
     * @param prefix the session's prefix
     * @param n the push's number in the session
     * @return the envelope
     */
    String with(String prefix, long n) {
        String number = Long.toString(n, 36);
        return new StringBuilder(head.length() + prefix.length() + 1 + number.length() + tail.length())
                .append(head).append(prefix).append('-').append(number).append(tail).toString();
    }

    /**
     * Returns the seqno the envelope was encoded with: the same on every node that receives the push.
     *
     * @return the seqno
     */
    String seqno() {
        return text.substring(head.length(), text.length() - tail.length());
    }

    /**
     * Returns the envelope as it was encoded, with its per-process seqno, for plain sessions.
     *
     * @return the text
     */
    String text() {
        return text;
    }

    /**
     * Returns what one session's copy counts against the buffer bounds: 2 bytes per character, as in the send queue.
     *
     * @return the weight in bytes
     */
    long weight() {
        return 2L * (head.length() + tail.length() + 16);
    }
}
