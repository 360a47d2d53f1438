package dev.wsrv.runtime.codec;

import dev.wsrv.WsrvConfig;
import jakarta.websocket.Decoder;

/**
 * Decodes every text frame, empty or not, valid or not, into a {@link TextFrame}; it never refuses a frame
 * and never throws, so that every request gets its reply. The envelope is read later, from the frame (see
 * {@link Frame}).
 *
 * <p>It applies the limits on the shape of {@code data} ({@link WsrvConfig.Limits#maxDepth()},
 * {@link WsrvConfig.Limits#maxKeys()}) that {@link #init} finds: those in the endpoint configuration's user
 * properties under {@link #LIMITS_PROPERTY}, else the configured ones ({@link WsrvConfig#fromEnvironment()}).
 */
public class TextFrameDecoder extends LimitedDecoder implements Decoder.Text<TextFrame> {

    /**
     * The endpoint-configuration user property that carries the {@link WsrvConfig.Limits} of a programmatically
     * deployed endpoint, so that each embedded server decodes with its own.
     */
    public static final String LIMITS_PROPERTY = "dev.wsrv.limits";

    /** Creates the decoder with the documented default limits; the container calls this, then {@link #init}. */
    public TextFrameDecoder() {
        this(WsrvConfig.Limits.DEFAULTS);
    }

    /**
     * Creates a decoder with the given limits, for use outside a container.
     *
     * @param limits the limits; only those on {@code data} apply here
     */
    public TextFrameDecoder(WsrvConfig.Limits limits) {
        super(limits);
    }

    @Override
    public TextFrame decode(String s) {
        return new TextFrame(s, maxDepth, maxKeys);
    }

    @Override
    public boolean willDecode(String s) {
        return true;
    }
}
