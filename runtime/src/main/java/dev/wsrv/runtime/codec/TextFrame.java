package dev.wsrv.runtime.codec;

/**
 * A decoded text frame. Text and binary frames decode to distinct types because a container accepts only one
 * {@code @OnMessage} method per decoded type.
 *
 * @param inbound what the frame held
 * @param text the frame's text, kept so that its size can be checked where the container does not
 */
public record TextFrame(Inbound inbound, String text) {

    /**
     * Tells whether the message is larger than a limit in UTF-8 bytes, counting only when it has to.
     *
     * @param maxBytes the limit
     * @return {@code true} when the UTF-8 encoding is longer than {@code maxBytes}
     */
    public boolean exceeds(int maxBytes) {
        int chars = text.length();
        if ((long) chars * 3 <= maxBytes) {
            return false;
        }
        if (chars > maxBytes) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > maxBytes;
    }
}
