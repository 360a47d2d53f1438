package dev.wsrv.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the inbound frames of one connection, whole or in parts, text or binary (UTF-8), into messages, within the
 * size limit. Not thread-safe: the JDK calls a listener's methods one at a time.
 */
final class FrameAssembler {

    /** Where complete messages and problems go. */
    interface Sink {
        void message(String text);

        /** A message is larger than the limit: the rest of it is dropped. */
        void tooBig(int limit);

        void problem(Throwable error);
    }

    private final int maxMessageSize;
    private final Sink sink;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private boolean discarding;

    FrameAssembler(int maxMessageSize, Sink sink) {
        this.maxMessageSize = maxMessageSize;
        this.sink = sink;
    }

    void text(CharSequence data, boolean last) {
        if (!discarding) {
            if (text.length() + data.length() > maxMessageSize) {
                tooBig();
            } else if (last && text.length() == 0) {
                sink.message(data.toString());
            } else {
                text.append(data);
                if (last) {
                    String s = text.toString();
                    text.setLength(0);
                    sink.message(s);
                }
            }
        }
        if (last) {
            discarding = false;
        }
    }

    void binary(ByteBuffer data, boolean last) {
        if (!discarding) {
            if (binary.size() + data.remaining() > maxMessageSize) {
                tooBig();
            } else {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.write(bytes, 0, bytes.length);
                if (last) {
                    byte[] all = binary.toByteArray();
                    binary.reset();
                    decode(all);
                }
            }
        }
        if (last) {
            discarding = false;
        }
    }

    private void decode(byte[] utf8) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            sink.problem(new IllegalArgumentException("wsrv: inbound binary message is not UTF-8", e));
            return;
        }
        sink.message(s);
    }

    private void tooBig() {
        text.setLength(0);
        binary.reset();
        discarding = true;
        sink.tooBig(maxMessageSize);
    }
}
