package dev.wsrv.runtime.codec;

import dev.wsrv.Request;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the request envelope with a streaming JSON-P parser, tolerant of bad input.
 *
 * <p>It stops at the first problem but keeps what it read before it, so that a 400 reply can echo the
 * {@code cmd} and {@code seqno} of a request that is broken later on. Keys other than cmd, seqno and data are
 * skipped without building values.
 */
final class EnvelopeReader {

    private EnvelopeReader() {
    }

    static Inbound read(String text) {
        if (text.isEmpty()) {
            return Inbound.Heartbeat.TEXT;
        }
        return read(Json.parsers().createParser(new StringReader(text)), false);
    }

    static Inbound read(ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            return Inbound.Heartbeat.BINARY;
        }
        String text;
        try {
            // strict: a lenient decoder would turn bad bytes into U+FFFD and route a command that was never sent
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            return new Inbound.Invalid("binary frame is not UTF-8", "", "", true);
        }
        return read(Json.parsers().createParser(new StringReader(text)), true);
    }

    private static Inbound read(JsonParser parser, boolean binary) {
        String cmd = null;
        String seqno = null;
        JsonValue data = JsonValue.NULL;
        String problem = null;
        try (parser) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return new Inbound.Invalid("not a JSON object", "", "", binary);
            }
            Event e;
            while ((e = parser.next()) == Event.KEY_NAME) {
                String key = parser.getString();
                Event value = parser.next();
                switch (key) {
                    case "cmd" -> {
                        if (value == Event.VALUE_STRING) {
                            cmd = parser.getString();
                        } else {
                            problem = problem == null ? "cmd is not a string" : problem;
                            skip(parser, value);
                        }
                    }
                    case "seqno" -> {
                        if (value == Event.VALUE_STRING) {
                            seqno = parser.getString();
                        } else {
                            if (value == Event.VALUE_NUMBER) {
                                // echo a numeric seqno as text so that the client can still match the 400
                                seqno = parser.getString();
                            }
                            problem = problem == null ? "seqno is not a string" : problem;
                            skip(parser, value);
                        }
                    }
                    case "data" -> data = parser.getValue();
                    default -> skip(parser, value);
                }
            }
            if (e != Event.END_OBJECT) {
                return invalid("malformed JSON", cmd, seqno, binary);
            }
            if (parser.hasNext()) {
                return invalid("content after the JSON object", cmd, seqno, binary);
            }
        } catch (RuntimeException e) {
            // JsonParsingException, and the parser's own limits (Parsson throws a plain RuntimeException past
            // its nesting depth): whatever the parser refuses is malformed input, never a server error
            return invalid("malformed JSON", cmd, seqno, binary);
        }
        if (problem != null) {
            return invalid(problem, cmd, seqno, binary);
        }
        if (cmd == null || cmd.isEmpty()) {
            return invalid("cmd is missing", cmd, seqno, binary);
        }
        return new Inbound.Call(new Request(cmd, seqno == null ? "" : seqno, data), binary);
    }

    /**
     * Skips a value by walking its events. Parsson's own skipObject/skipArray spin for ever when the input ends
     * inside the value ({"x":[ is enough); next() throws there instead, and it applies the parser's depth limit.
     */
    private static void skip(JsonParser parser, Event value) {
        if (value != Event.START_OBJECT && value != Event.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            Event e = parser.next();
            if (e == Event.START_OBJECT || e == Event.START_ARRAY) {
                depth++;
            } else if (e == Event.END_OBJECT || e == Event.END_ARRAY) {
                depth--;
            }
        }
    }

    private static Inbound invalid(String reason, String cmd, String seqno, boolean binary) {
        return new Inbound.Invalid(reason, cmd == null ? "" : cmd, seqno == null ? "" : seqno, binary);
    }
}
