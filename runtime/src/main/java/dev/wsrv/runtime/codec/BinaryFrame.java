package dev.wsrv.runtime.codec;

/**
 * A decoded binary frame; see {@link TextFrame}.
 *
 * @param inbound what the frame held
 * @param size the frame's size in bytes
 */
public record BinaryFrame(Inbound inbound, int size) {

    /**
     * Tells whether the message is larger than a limit.
     *
     * @param maxBytes the limit
     * @return {@code true} when it has more than {@code maxBytes} bytes
     */
    public boolean exceeds(int maxBytes) {
        return size > maxBytes;
    }
}
