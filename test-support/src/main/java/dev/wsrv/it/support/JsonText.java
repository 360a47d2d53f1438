package dev.wsrv.it.support;

/** JSON text for tests that build frames by hand. */
public final class JsonText {

    private JsonText() {
    }

    /**
     * Quotes a string as a JSON literal with every character outside printable ASCII escaped as {@code \\uXXXX},
     * so that the frame itself is plain ASCII and the decoder under test does the unescaping.
     */
    public static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
