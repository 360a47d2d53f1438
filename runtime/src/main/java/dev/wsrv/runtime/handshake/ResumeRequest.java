package dev.wsrv.runtime.handshake;

import java.util.Optional;

/**
 * A client's request, in the upgrade's query string, for a resumable session (docs/protocol.md#resumable-sessions):
 * {@code wsrv.resume=new} for a new one, or {@code wsrv.resume=<token>&wsrv.last=<seqno>} to resume one.
 *
 * @param token the resume token, or {@code null} for a new session
 * @param last the seqno of the last push the client processed, or {@code null} for none
 */
public record ResumeRequest(String token, String last) {

    /** The query parameter that asks for a resumable session. */
    public static final String RESUME = "wsrv.resume";
    /** The query parameter with the last push processed. */
    public static final String LAST = "wsrv.last";
    /** The value of {@link #RESUME} for a new session. */
    public static final String NEW = "new";
    /** Longer values are no token wsrv issued, and are not kept. */
    private static final int MAX_LENGTH = 256;

    /**
     * Reads the request from an upgrade's query parameters.
     *
     * @param resume the value of {@code wsrv.resume}, if any
     * @param last the value of {@code wsrv.last}, if any
     * @return the request, or {@code null} when the client did not ask for a resumable session
     */
    static ResumeRequest of(Optional<String> resume, Optional<String> last) {
        if (resume.isEmpty()) {
            return null;
        }
        String token = resume.get();
        if (token.isEmpty() || token.equals(NEW)) {
            return new ResumeRequest(null, null);
        }
        // an oversized value resolves to no session, like any other unknown token
        String t = token.length() > MAX_LENGTH ? "-" : token;
        String l = last.filter(v -> !v.isEmpty() && v.length() <= MAX_LENGTH).orElse(null);
        return new ResumeRequest(t, l);
    }
}
