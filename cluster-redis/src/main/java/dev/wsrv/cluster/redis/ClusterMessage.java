package dev.wsrv.cluster.redis;

import dev.wsrv.Reply;
import dev.wsrv.runtime.codec.Json;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.session.RemotePush;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON messages of the cluster: the field {@value #FIELD} of each entry of the stream (default
 * {@code wsrv:push:stream}), and the messages on the pub/sub channel (default {@code wsrv:push}).
 *
 * <p>A Java node publishes {@code {"v":1,"origin":"<node id>","target":"user","key":"7","binary":false,
 * "text":"<encoded push envelope>"}}. Any other publisher may send
 * {@code {"target":"user","key":"7","cmd":"notify","data":{...}}}: each node builds the push envelope itself.
 *
 * <ul>
 *   <li>{@code target}: {@code session}, {@code user}, {@code group} or {@code all} (required);</li>
 *   <li>{@code key}: the session id, user id or group (required, non-empty, except for {@code all});</li>
 *   <li>exactly one of {@code text} (a complete push envelope, sent as is) or {@code cmd} (non-empty string);</li>
 *   <li>{@code data}: any JSON value, {@code {}} when absent; {@code seqno}: a string, generated when absent
 *       (then each node generates its own);</li>
 *   <li>{@code binary}: optional boolean, the node's push frame type when absent;</li>
 *   <li>{@code origin}: optional; a node ignores messages carrying its own id. Other keys are ignored.</li>
 * </ul>
 */
final class ClusterMessage {

    /** The stream entry's field that holds the message. */
    static final String FIELD = "m";

    private static final String SEQNO_PREFIX = "r" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private static final AtomicLong SEQNO = new AtomicLong();

    private ClusterMessage() {
    }

    /** A message that cannot be delivered; its text says why. */
    static final class BadMessage extends Exception {
        BadMessage(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Encodes a push of this node.
     *
     * @param origin this node's id
     * @param push the push
     * @return the JSON message
     */
    static String encode(String origin, RemotePush push) {
        return Json.provider().createObjectBuilder()
                .add("v", 1)
                .add("origin", origin)
                .add("target", push.target().name().toLowerCase(Locale.ROOT))
                .add("key", push.key())
                .add("binary", push.binary())
                .add("text", push.text())
                .build()
                .toString();
    }

    /**
     * Decodes a message.
     *
     * @param message the text received on the channel
     * @param self this node's id
     * @param defaultBinary the frame type when the message does not say
     * @return the push, or {@code null} when the message is this node's own
     * @throws BadMessage when the message is not valid
     */
    static RemotePush decode(String message, String self, boolean defaultBinary) throws BadMessage {
        Decoded d = decode(message, defaultBinary);
        return d.origin().equals(self) ? null : d.push();
    }

    /**
     * A decoded message.
     *
     * @param push the push
     * @param origin the id of the node that published it, {@code ""} for a publisher outside the cluster
     */
    record Decoded(RemotePush push, String origin) {
    }

    /**
     * Decodes a message, this node's own included.
     *
     * @param message the text received
     * @param defaultBinary the frame type when the message does not say
     * @return the push and who published it
     * @throws BadMessage when the message is not valid
     */
    static Decoded decode(String message, boolean defaultBinary) throws BadMessage {
        JsonObject o;
        try (JsonReader r = Json.provider().createReader(new StringReader(message))) {
            JsonValue v = r.readValue();
            if (!(v instanceof JsonObject obj)) {
                throw new BadMessage("not a JSON object");
            }
            o = obj;
        } catch (JsonException | IllegalStateException e) {
            throw new BadMessage("not valid JSON");
        }
        JsonValue origin = o.get("origin");
        if (origin != null && !(origin instanceof JsonString)) {
            throw new BadMessage("origin is not a string");
        }
        RemotePush.Target target = target(string(o, "target"));
        String key = string(o, "key");
        if (target == RemotePush.Target.ALL) {
            key = "";
        } else if (key == null || key.isEmpty()) {
            throw new BadMessage("key is missing or empty");
        }
        boolean binary = defaultBinary;
        JsonValue b = o.get("binary");
        if (b == JsonValue.TRUE || b == JsonValue.FALSE) {
            binary = b == JsonValue.TRUE;
        } else if (b != null && b != JsonValue.NULL) {
            throw new BadMessage("binary is not a boolean");
        }
        String text = string(o, "text");
        String cmd = string(o, "cmd");
        if ((text == null) == (cmd == null)) {
            throw new BadMessage("needs exactly one of text or cmd");
        }
        if (text == null) {
            if (cmd.isEmpty()) {
                throw new BadMessage("cmd is empty");
            }
            String seqno = string(o, "seqno");
            if (seqno == null) {
                seqno = SEQNO_PREFIX + Long.toString(SEQNO.incrementAndGet(), 36);
            }
            JsonValue data = o.getOrDefault("data", JsonValue.NULL);
            text = ReplyEncoder.toJson(Reply.ok(cmd, seqno, data));
        } else if (text.isEmpty()) {
            throw new BadMessage("text is empty");
        }
        return new Decoded(new RemotePush(target, key, text, binary),
                origin instanceof JsonString s ? s.getString() : "");
    }

    private static RemotePush.Target target(String t) throws BadMessage {
        if (t == null) {
            throw new BadMessage("target is missing");
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "session" -> RemotePush.Target.SESSION;
            case "user" -> RemotePush.Target.USER;
            case "group" -> RemotePush.Target.GROUP;
            case "all" -> RemotePush.Target.ALL;
            default -> throw new BadMessage("unknown target (session, user, group or all)");
        };
    }

    /** A string member, {@code null} when absent or JSON null; any other type is an error. */
    private static String string(JsonObject o, String name) throws BadMessage {
        JsonValue v = o.get(name);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.getString();
        }
        throw new BadMessage(name + " is not a string");
    }
}
