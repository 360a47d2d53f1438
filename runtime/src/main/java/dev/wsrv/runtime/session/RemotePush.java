package dev.wsrv.runtime.session;

import java.util.Objects;

/**
 * A push travelling between nodes: its target and its encoded envelope.
 *
 * @param target what kind of target {@code key} names
 * @param key the session id, user id or group; {@code ""} for everyone
 * @param text the encoded push envelope, sent as is
 * @param binary whether to send it in a binary frame
 */
public record RemotePush(Target target, String key, String text, boolean binary) {

    /** The kinds of target. */
    public enum Target { SESSION, USER, GROUP, ALL }

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is {@code null}
     */
    public RemotePush {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
    }

    /** Tells whether the push is addressed to a session: its id, its user, one of its groups, or everyone. */
    boolean reaches(SessionState s) {
        return switch (target) {
            case SESSION -> key.equals(s.id());
            case USER -> key.equals(s.user());
            case GROUP -> s.groups().contains(key);
            case ALL -> true;
        };
    }

    /**
     * Returns the seqno the push was encoded with, which identifies a push of this node's among the pushes the
     * transport brings back.
     *
     * @return the seqno, or {@code null} when the text is not an envelope as wsrv encodes it
     */
    public String seqno() {
        PushEnvelope e = PushEnvelope.of(text);
        return e == null ? null : e.seqno();
    }
}
