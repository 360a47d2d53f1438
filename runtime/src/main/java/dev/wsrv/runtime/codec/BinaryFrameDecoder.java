package dev.wsrv.runtime.codec;

import dev.wsrv.runtime.WsrvConfig;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import java.nio.ByteBuffer;

/**
 * Decodes every binary frame (UTF-8 JSON) into a {@link BinaryFrame}; like {@link TextFrameDecoder}, it
 * never refuses a frame, never throws, and applies the same limits on the shape of {@code data}.
 */
public class BinaryFrameDecoder implements Decoder.Binary<BinaryFrame> {

    private int maxDepth;
    private int maxKeys;

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
        use(limits);
    }

    /**
     * Takes the limits of the endpoint, as {@link TextFrameDecoder#init} does.
     *
     * @param config the endpoint configuration
     */
    @Override
    public void init(EndpointConfig config) {
        use(EnvelopeReader.limits(config));
    }

    private void use(WsrvConfig.Limits limits) {
        maxDepth = limits.maxDepth();
        maxKeys = limits.maxKeys();
    }

    @Override
    public BinaryFrame decode(ByteBuffer bytes) {
        int size = bytes.remaining();
        return new BinaryFrame(EnvelopeReader.read(bytes, maxDepth, maxKeys), size);
    }

    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return true;
    }
}
