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
}
