package dev.wsrv.runtime.codec;

import dev.wsrv.WsrvConfig;
import jakarta.websocket.Decoder;
import java.nio.ByteBuffer;

/**
 * Decodes every binary frame (UTF-8 JSON) into a {@link BinaryFrame}; like {@link TextFrameDecoder}, it
 * never refuses a frame, never throws, and applies the same limits on the shape of {@code data}.
 */
public class BinaryFrameDecoder extends LimitedDecoder implements Decoder.Binary<BinaryFrame> {

    /** Creates the decoder with the documented default limits; the container calls this, then {@link #init}. */
    public BinaryFrameDecoder() {
        this(WsrvConfig.Limits.DEFAULTS);
    }

    /**
     * Creates a decoder with the given limits, for use outside a container.
     *
     * @param limits the limits; only those on {@code data} apply here
     */
    public BinaryFrameDecoder(WsrvConfig.Limits limits) {
        super(limits);
    }

    @Override
    public BinaryFrame decode(ByteBuffer bytes) {
        return new BinaryFrame(bytes, maxDepth, maxKeys);
    }

    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return true;
    }
}
