package dev.wsrv.runtime.codec;

import jakarta.websocket.Decoder;

/**
 * Decodes every text frame, empty or not, valid or not, into a {@link TextFrame}; it never refuses a frame
 * and never throws, so that every request gets its reply.
 */
public class TextFrameDecoder implements Decoder.Text<TextFrame> {

    /** Creates the decoder; the container calls this. */
    public TextFrameDecoder() {
    }

    @Override
    public TextFrame decode(String s) {
        return new TextFrame(EnvelopeReader.read(s), s);
    }

    @Override
    public boolean willDecode(String s) {
        return true;
    }
}
