package dev.wsrv.runtime.codec;

import dev.wsrv.Request;

/**
 * What one inbound data frame turned out to be, the codec's answer to the dispatcher: a {@link Valid} request (the
 * API's {@link Request} with its frame type), a {@link Heartbeat} or an {@link Invalid} frame. Decoding never throws
 * for bad input: it yields {@link Invalid}.
 */
public sealed interface Inbound {

    /**
     * The most characters (UTF-16 code units) a {@code cmd} or {@code seqno} may have; a longer one makes the frame
     * invalid, and its 400 reply echoes that field as {@code ""} (docs/protocol.md#request).
     */
    int MAX_ID_LENGTH = 256;

    /**
     * Tells whether the frame was binary, so that the response uses the same frame type.
     *
     * @return {@code true} for a binary frame
     */
    boolean binary();

    /**
     * A well-formed request, answered through its command's chain.
     *
     * @param request the request
     * @param data the request's data as text, which typed parameters bind from
     * @param binary whether it came in a binary frame
     */
    record Valid(Request request, RawData data, boolean binary) implements Inbound {
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
     * @param limit the limit on {@code data} that the frame broke, or {@code null} when it is simply malformed
     */
    record Invalid(String reason, String cmd, String seqno, boolean binary, DataLimit limit) implements Inbound {

        /**
         * A frame that is malformed, breaking no limit.
         *
         * @param reason what is wrong, for the log
         * @param cmd the command if it could be read, else {@code ""}
         * @param seqno the request id if it could be read, else {@code ""}
         * @param binary whether it came in a binary frame
         */
        public Invalid(String reason, String cmd, String seqno, boolean binary) {
            this(reason, cmd, seqno, binary, null);
        }
    }

    /** The limits on the shape of {@code data} ({@code wsrv.limits.maxDepth} and {@code wsrv.limits.maxKeys}). */
    enum DataLimit {
        /** {@code data} nested deeper than the limit. */
        DEPTH,
        /** {@code data} with more object members in all than the limit. */
        KEYS
    }
}
