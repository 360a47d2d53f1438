package dev.wsrv.runtime.codec;

/**
 * A decoded text frame. Text and binary frames decode to distinct types because a container accepts only one
 * {@code @OnMessage} method per decoded type.
 */
public final class TextFrame extends Frame {

    private final String text;

    /**
     * Creates a frame, read later with limits on the shape of {@code data}.
     *
     * @param text the frame's text
     * @param maxDepth how deeply {@code data} may nest, 0 for no limit
     * @param maxKeys how many object members {@code data} may have in all, 0 for no limit
     */
    public TextFrame(String text, int maxDepth, int maxKeys) {
        super(maxDepth, maxKeys);
        this.text = text;
    }

    @Override
    Inbound read() {
        return EnvelopeReader.read(text, maxDepth, maxKeys);
    }

    @Override
    public boolean heartbeat() {
        return text.isEmpty();
    }

    @Override
    public int weight() {
        return text.length();
    }

    /**
     * Returns the frame's text.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    @Override
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
