package dev.wsrv.runtime.codec;

/**
 * A decoded binary frame; see {@link TextFrame}.
 *
 * @param inbound what the frame held
 */
public record BinaryFrame(Inbound inbound) {
}
