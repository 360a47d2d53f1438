package dev.wsrv.runtime.codec;

import jakarta.websocket.Decoder;
import java.nio.ByteBuffer;

/**
 * Decodes every binary frame (UTF-8 JSON) into a {@link BinaryFrame}; like {@link TextFrameDecoder}, it
 * never refuses a frame and never throws.
 */
public class BinaryFrameDecoder implements Decoder.Binary<BinaryFrame> {

    /** Creates the decoder; the container calls this. */
    public BinaryFrameDecoder() {
    }

    @Override
    public BinaryFrame decode(ByteBuffer bytes) {
        int size = bytes.remaining();
        return new BinaryFrame(EnvelopeReader.read(bytes), size);
    }

    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return true;
    }
}
