package dev.wsrv.runtime.codec;

import dev.wsrv.Request;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.codec.Inbound.DataLimit;
import jakarta.websocket.EndpointConfig;
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
 *
 * <p>{@code data} is checked in the same pass but not built: the request keeps where its text stands in the frame
 * ({@link RawData}), a handler's typed parameter binds from that text, and the JSON-P value is built only when
 * something asks for it. With limits on its shape ({@code maxDepth}, {@code maxKeys}; 0 for none) it is counted on
 * the way: the rest of a {@code data} that breaks a limit is skipped, and the rest of the envelope is still read for
 * the {@code cmd} and {@code seqno} of the 400.
 */
final class EnvelopeReader {

    private EnvelopeReader() {
    }

    /**
     * Returns the limits on {@code data} for a decoder: those the endpoint configuration carries under
     * {@link TextFrameDecoder#LIMITS_PROPERTY} (the embedded server's and custom paths'), else the configured ones
     * ({@link WsrvConfig#fromEnvironment()}, read once per application).
     *
     * @param config the endpoint configuration the container initialises the decoder with, may be {@code null}
     * @return the limits
     */
    static WsrvConfig.Limits limits(EndpointConfig config) {
        Object own = config == null ? null : config.getUserProperties().get(TextFrameDecoder.LIMITS_PROPERTY);
        return own instanceof WsrvConfig.Limits l ? l : FromEnvironment.LIMITS;
    }

    /** The configured limits, read on first use: decoders of the annotated endpoint are created per session. */
    private static final class FromEnvironment {
        static final WsrvConfig.Limits LIMITS = WsrvConfig.fromEnvironment().limits();
    }

    /**
     * Reads a text frame without limits on the shape of {@code data} (beyond the parser's own).
     *
     * @param text the frame
     * @return what it is
     */
    static Inbound read(String text) {
        return read(text, 0, 0);
    }

    /**
     * Reads a text frame.
     *
     * @param text the frame
     * @param maxDepth how deeply {@code data} may nest, 0 for no limit
     * @param maxKeys how many object members {@code data} may have in all, 0 for no limit
     * @return what it is
     */
    static Inbound read(String text, int maxDepth, int maxKeys) {
        if (text.isEmpty()) {
            return Inbound.Heartbeat.TEXT;
        }
        return read(text, false, maxDepth, maxKeys);
    }

    /**
     * Reads a binary frame without limits on the shape of {@code data} (beyond the parser's own).
     *
     * @param bytes the frame
     * @return what it is
     */
    static Inbound read(ByteBuffer bytes) {
        return read(bytes, 0, 0);
    }

    /**
     * Reads a binary frame, which must be UTF-8.
     *
     * @param bytes the frame
     * @param maxDepth how deeply {@code data} may nest, 0 for no limit
     * @param maxKeys how many object members {@code data} may have in all, 0 for no limit
     * @return what it is
     */
    static Inbound read(ByteBuffer bytes, int maxDepth, int maxKeys) {
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
        return read(text, true, maxDepth, maxKeys);
    }

    private static Inbound read(String text, boolean binary, int maxDepth, int maxKeys) {
        String cmd = null;
        String seqno = null;
        RawData data = RawData.ABSENT;
        String problem = null;
        DataLimit problemLimit = null;
        DataReader shape = null;
        try (JsonParser parser = Json.parsers().createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                return new Inbound.Invalid("not a JSON object", "", "", binary);
            }
            Event e;
            while ((e = parser.next()) == Event.KEY_NAME) {
                String key = parser.getString();
                long keyEnd = key.equals("data") ? parser.getLocation().getStreamOffset() : 0;
                Event value = parser.next();
                switch (key) {
                    case "cmd" -> {
                        if (value == Event.VALUE_STRING) {
                            cmd = bounded(parser.getString());
                            problem = cmd != null ? problem : first(problem, "cmd longer than " + MAX + " characters");
                        } else {
                            problem = first(problem, "cmd is not a string");
                            Json.skip(parser, value);
                        }
                    }
                    case "seqno" -> {
                        if (value == Event.VALUE_STRING) {
                            seqno = bounded(parser.getString());
                            problem = seqno != null ? problem
                                    : first(problem, "seqno longer than " + MAX + " characters");
                        } else {
                            if (value == Event.VALUE_NUMBER) {
                                // echo a numeric seqno as text so that the client can still match the 400
                                seqno = bounded(parser.getString());
                            }
                            problem = first(problem, "seqno is not a string");
                            Json.skip(parser, value);
                        }
                    }
                    case "data" -> {
                        if (shape == null) {
                            shape = new DataReader(parser, maxDepth, maxKeys);
                        }
                        if (shape.read(value)) {
                            data = span(text, (int) keyEnd, (int) parser.getLocation().getStreamOffset());
                        } else if (problem == null) {
                            problem = shape.reason();
                            problemLimit = shape.broken;
                        }
                    }
                    default -> Json.skip(parser, value);
                }
            }
            if (e != Event.END_OBJECT) {
                return problemLimit != null ? invalid(problem, cmd, seqno, binary, problemLimit)
                        : invalid("malformed JSON", cmd, seqno, binary);
            }
            if (parser.hasNext()) {
                return problemLimit != null ? invalid(problem, cmd, seqno, binary, problemLimit)
                        : invalid("content after the JSON object", cmd, seqno, binary);
            }
        } catch (RuntimeException e) {
            // JsonParsingException, and the parser's own limits (Parsson throws a plain RuntimeException past
            // its nesting depth): whatever the parser refuses is malformed input, never a server error. A limit on
            // data broken before is still the reason, as everywhere (the skip of the rest of a too-deep data can run
            // into the parser's own limit), so that the limit is logged
            if (problem == null && shape != null && shape.broken != null) {
                problem = shape.reason();
                problemLimit = shape.broken;
            }
            if (problemLimit != null) {
                return invalid(problem, cmd, seqno, binary, problemLimit);
            }
            return invalid("malformed JSON", cmd, seqno, binary);
        }
        if (problem != null) {
            return invalid(problem, cmd, seqno, binary, problemLimit);
        }
        if (cmd == null || cmd.isEmpty()) {
            return invalid("cmd is missing", cmd, seqno, binary);
        }
        return new Inbound.Valid(Request.deferred(cmd, seqno == null ? "" : seqno, data), data, binary);
    }

    /**
     * The data's text: from the end of its key, past the colon and any white space, to the end of its value (the
     * parser's offsets are those of the character after a token).
     */
    private static RawData span(String text, int keyEnd, int valueEnd) {
        int start = keyEnd;
        while (start < valueEnd && (text.charAt(start) == ':' || text.charAt(start) <= ' ')) {
            start++;
        }
        return new RawData(text, start, valueEnd);
    }

    private static final int MAX = Inbound.MAX_ID_LENGTH;

    /**
     * Returns a cmd or seqno if it is short enough to echo; {@code null} (echoed as {@code ""}) if not, so that no
     * reply is ever larger than what the server accepts.
     */
    private static String bounded(String s) {
        return s.length() <= MAX ? s : null;
    }

    /** The frame's first problem is the one reported. */
    private static String first(String problem, String another) {
        return problem != null ? problem : another;
    }

    private static Inbound invalid(String reason, String cmd, String seqno, boolean binary) {
        return invalid(reason, cmd, seqno, binary, null);
    }

    private static Inbound invalid(String reason, String cmd, String seqno, boolean binary, DataLimit limit) {
        return new Inbound.Invalid(reason, cmd == null ? "" : cmd, seqno == null ? "" : seqno, binary, limit);
    }

    /**
     * Walks {@code data} without building it, counting its depth and object members when a limit is on and checking
     * the length of its numbers as the parser would when it builds them. The first value past a limit stops the
     * count: the rest of {@code data} is walked event by event (never Parsson's skip methods, which spin at the end
     * of the input) and {@link #read} yields {@code false}. Recursion is bounded by {@code maxDepth}, or by the
     * parser's own depth limit when depth is not limited. One per frame.
     */
    private static final class DataReader {
        private final JsonParser parser;
        private final int maxDepth;
        private final int maxKeys;
        private int keys;
        /** The limit broken, or {@code null}. */
        DataLimit broken;

        DataReader(JsonParser parser, int maxDepth, int maxKeys) {
            this.parser = parser;
            this.maxDepth = maxDepth;
            this.maxKeys = maxKeys;
        }

        /**
         * Walks one data value that starts with {@code start}.
         *
         * @return {@code false} when it broke a limit (then the parser is past its end)
         * @throws RuntimeException when the value is malformed
         */
        boolean read(Event start) {
            keys = 0;
            broken = null;
            return value(start, 0);
        }

        String reason() {
            return broken == DataLimit.DEPTH ? "data nested deeper than " + maxDepth + " levels"
                    : "data has more than " + maxKeys + " keys";
        }

        /** Walks the container whose start event was just read, at {@code depth} (1 for data itself). */
        private boolean container(Event start, int depth) {
            if (maxDepth > 0 && depth > maxDepth) {
                return breakOff(DataLimit.DEPTH, depth);
            }
            if (start == Event.START_ARRAY) {
                Event e;
                while ((e = parser.next()) != Event.END_ARRAY) {
                    if (!value(e, depth)) {
                        return false;
                    }
                }
                return true;
            }
            while (parser.next() != Event.END_OBJECT) {
                // a KEY_NAME: the parser allows nothing else here
                if (maxKeys > 0 && ++keys > maxKeys) {
                    return breakOff(DataLimit.KEYS, depth);
                }
                if (!value(parser.next(), depth)) {
                    return false;
                }
            }
            return true;
        }

        private boolean value(Event e, int depth) {
            if (e == Event.START_OBJECT || e == Event.START_ARRAY) {
                return container(e, depth + 1);
            }
            if (e == Event.VALUE_NUMBER) {
                // what building the number would do: Parsson refuses one past its length bound here, and a
                // definitely small integer is read without allocating
                if (parser.isIntegralNumber()) {
                    parser.getLong();
                } else {
                    parser.getBigDecimal();
                }
            }
            return true;
        }

        /** Records the broken limit and walks past the end of data: {@code open} containers are still open. */
        private boolean breakOff(DataLimit limit, int open) {
            broken = limit;
            Json.skipOpen(parser, open);
            return false;
        }
    }
}
