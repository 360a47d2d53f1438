package dev.wsrv.runtime.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The resume credential of a session, {@code <node>.<session id>.<secret>} (docs/protocol.md#resume-token): the
 * secret is 32 random bytes from {@link SecureRandom}, base64url, held only by the node that owns the session and
 * by its client, and replaced at every resume. Immutable.
 *
 * @param node the name of the node that owns the session
 * @param sessionId the session id
 * @param secret the secret
 */
record ResumeToken(String node, String sessionId, String secret) {

    /** The node name on a single node; in a cluster each node has its own ({@link SessionHandoff#node()}). */
    static final String LOCAL_NODE = "n1";

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Issues a new token with a fresh secret.
     *
     * @param node the name of the node that owns the session
     * @param sessionId the session id
     * @return the token
     */
    static ResumeToken issue(String node, String sessionId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ResumeToken(node, sessionId, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /**
     * Reads a token a client sent.
     *
     * @param text the token
     * @return the token, or {@code null} when the text is not shaped like one
     */
    static ResumeToken parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        return new ResumeToken(parts[0], parts[1], parts[2]);
    }

    /**
     * Tells, in time that does not depend on where they differ, whether another token carries the same secret.
     *
     * @param other the token a client sent
     * @return {@code true} for the same secret
     */
    boolean matches(ResumeToken other) {
        return MessageDigest.isEqual(secret.getBytes(StandardCharsets.US_ASCII),
                other.secret.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Returns the SHA-256 of the secret, base64url: what a node asking another for the session sends through the
     * broker instead of the secret itself.
     *
     * @return the digest
     */
    String digest() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(secret));
    }

    /**
     * Tells, in time that does not depend on where they differ, whether a digest from {@link #digest()} is that of
     * this token's secret.
     *
     * @param digest the digest another node sent
     * @return {@code true} for this secret's digest
     */
    boolean matchesDigest(String digest) {
        byte[] theirs;
        try {
            theirs = Base64.getUrlDecoder().decode(digest);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret), theirs);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return node + "." + sessionId + "." + secret;
    }
}
