package dev.wsrv.embedded;

import java.nio.ByteBuffer;

/**
 * Follows the frames a client sends, across reads, so that each frame can be judged from its header before its
 * payload arrives (RFC 6455 section 5.2). It only reads lengths and flags; the payload passes untouched. Not
 * thread-safe: one connection's reads arrive one at a time.
 */
final class FrameScanner {

    /**
     * A frame header: its opcode, FIN bit, RSV bits (as the three bits 0b0xxx), mask bit and declared payload
     * length (negative if the top bit is set).
     */
    record Header(int opcode, boolean fin, int rsv, boolean masked, long length) {

        boolean control() {
            return opcode >= 0x8;
        }
    }

    private final byte[] header = new byte[14];
    private int have;
    private long payloadLeft;

    /**
     * Reads header bytes from {@code data}, if the scanner is between payloads.
     *
     * @param data the bytes just read; its position advances past what was consumed
     * @return the header, once its last byte has been read; {@code null} while it is incomplete or while a
     *     payload is being passed
     */
    Header readHeader(ByteBuffer data) {
        if (payloadLeft > 0) {
            return null;
        }
        while (data.hasRemaining()) {
            header[have++] = data.get();
            if (have >= 2 && have == size()) {
                Header h = parse();
                have = 0;
                payloadLeft = Math.max(0, h.length());
                return h;
            }
        }
        return null;
    }

    /**
     * Passes over payload bytes of the current frame.
     *
     * @param data the bytes just read; its position advances to the end of the frame or of the data
     */
    void skipPayload(ByteBuffer data) {
        int n = (int) Math.min(payloadLeft, data.remaining());
        data.position(data.position() + n);
        payloadLeft -= n;
    }

    private int size() {
        int len = header[1] & 0x7f;
        int extended = len == 126 ? 2 : len == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private Header parse() {
        int len = header[1] & 0x7f;
        long length = len;
        if (len == 126) {
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
        } else if (len == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xffL);
            }
        }
        return new Header(header[0] & 0x0f, (header[0] & 0x80) != 0, (header[0] >> 4) & 0x7, (header[1] & 0x80) != 0,
                length);
    }
}
