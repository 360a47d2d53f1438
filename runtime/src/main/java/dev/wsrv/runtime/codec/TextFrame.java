package dev.wsrv.runtime.codec;

/**
 * A decoded text frame. Text and binary frames decode to distinct types because a container accepts only one
 * {@code @OnMessage} method per decoded type.
 *
 * @param inbound what the frame held
 */
public record TextFrame(Inbound inbound) {
}
