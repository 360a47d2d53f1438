package dev.wsrv.runtime.codec;

import java.nio.ByteBuffer;

/**
 * A decoded binary frame; see {@link TextFrame}. It keeps a copy of the bytes, since a container may reuse its
 * buffer once the decoder has returned.
 */
public final class BinaryFrame extends Frame {

    private final byte[] bytes;

    /**
     * Creates a frame from the remaining bytes of a buffer, read later with limits on the shape of {@code data}.
     *
     * @param buffer the frame's bytes; read, not kept
     * @param maxDepth how deeply {@code data} may nest, 0 for no limit
     * @param maxKeys how many object members {@code data} may have in all, 0 for no limit
     */
    public BinaryFrame(ByteBuffer buffer, int maxDepth, int maxKeys) {
        super(maxDepth, maxKeys);
        this.bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
    }

    @Override
    Inbound read() {
        return EnvelopeReader.read(ByteBuffer.wrap(bytes), maxDepth, maxKeys);
    }

    @Override
    public boolean heartbeat() {
        return bytes.length == 0;
    }

    @Override
    public int weight() {
        return bytes.length;
    }

    @Override
    public boolean exceeds(int maxBytes) {
        return bytes.length > maxBytes;
    }
}
