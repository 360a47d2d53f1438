package dev.wsrv.runtime.codec;

import dev.wsrv.WsrvConfig;
import jakarta.websocket.EndpointConfig;

/**
 * What the two frame decoders share: the limits on the shape of {@code data} ({@link WsrvConfig.Limits#maxDepth()},
 * {@link WsrvConfig.Limits#maxKeys()}) that {@link #init} finds: those in the endpoint configuration's user
 * properties under {@link TextFrameDecoder#LIMITS_PROPERTY}, else the configured ones
 * ({@link WsrvConfig#fromEnvironment()}).
 */
public abstract class LimitedDecoder {

    /** The nesting bound of {@code data}, 0 for none. */
    protected int maxDepth;
    /** The bound on object members in {@code data}, 0 for none. */
    protected int maxKeys;

    /**
     * Creates a decoder with the given limits.
     *
     * @param limits the limits; only those on {@code data} apply here
     */
    protected LimitedDecoder(WsrvConfig.Limits limits) {
        use(limits);
    }

    /**
     * Takes the limits of the endpoint; the container calls this once, before the first frame.
     *
     * @param config the endpoint configuration
     */
    public void init(EndpointConfig config) {
        use(EnvelopeReader.limits(config));
    }

    private void use(WsrvConfig.Limits limits) {
        maxDepth = limits.maxDepth();
        maxKeys = limits.maxKeys();
    }
}
