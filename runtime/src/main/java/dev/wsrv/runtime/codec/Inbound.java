package dev.wsrv.runtime.codec;

import dev.wsrv.Request;

/**
 * What one inbound data frame turned out to be. Decoding never throws for bad input: it yields {@link Invalid}.
 */
public sealed interface Inbound {

    /**
     * Tells whether the frame was binary, so that the response uses the same frame type.
     *
     * @return {@code true} for a binary frame
     */
    boolean binary();

    /**
     * A well-formed request.
     *
     * @param request the request
     * @param binary whether it came in a binary frame
     */
    record Call(Request request, boolean binary) implements Inbound {
    }

    /**
     * An empty frame: a heartbeat, consumed silently.
     *
     * @param binary whether it came in a binary frame
     */
    record Heartbeat(boolean binary) implements Inbound {
        static final Heartbeat TEXT = new Heartbeat(false);
        static final Heartbeat BINARY = new Heartbeat(true);
    }

    /**
     * A frame that is not a valid request; answered with 400.
     *
     * @param reason what is wrong, for the log
     * @param cmd the command if it could be read, else {@code ""}
     * @param seqno the request id if it could be read, else {@code ""}
     * @param binary whether it came in a binary frame
     */
    record Invalid(String reason, String cmd, String seqno, boolean binary) implements Inbound {
    }
}
