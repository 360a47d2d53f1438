package dev.wsrv.runtime.codec;

/**
 * One inbound data frame as the container delivered it, read as an envelope only when {@link #inbound()} is first
 * called. The container's thread that reads frames only needs to know whether a frame is a heartbeat and how large
 * it is; reading the JSON happens later, on the thread that runs the request, so that a flood costs its reader as
 * little as possible, and frames a closing session still sends cost no parsing at all.
 *
 * <p>A frame goes from the reading thread to one worker; it is not meant for two threads at once.
 */
public abstract sealed class Frame permits TextFrame, BinaryFrame {

    /** How deeply {@code data} may nest, 0 for no limit. */
    final int maxDepth;
    /** How many object members {@code data} may have in all, 0 for no limit. */
    final int maxKeys;
    private Inbound inbound;

    Frame(int maxDepth, int maxKeys) {
        this.maxDepth = maxDepth;
        this.maxKeys = maxKeys;
    }

    /**
     * Reads the envelope, once.
     *
     * @return what the frame holds; never throws for bad input
     */
    public final Inbound inbound() {
        Inbound in = inbound;
        if (in == null) {
            in = read();
            inbound = in;
        }
        return in;
    }

    /** Reads the envelope with {@link EnvelopeReader}. */
    abstract Inbound read();

    /**
     * Tells whether the frame is empty: a heartbeat.
     *
     * @return {@code true} for an empty frame
     */
    public abstract boolean heartbeat();

    /**
     * Returns the frame's size, by which it counts against the bound of frames waiting for a worker.
     *
     * @return characters of a text frame, bytes of a binary one
     */
    public abstract int weight();

    /**
     * Tells whether the message is larger than a limit in bytes, counting only when it has to.
     *
     * @param maxBytes the limit
     * @return {@code true} when it is longer than {@code maxBytes} bytes
     */
    public abstract boolean exceeds(int maxBytes);
}
