package dev.wsrv.runtime;

/**
 * Makes client-supplied text safe for one log line.
 */
public final class LogText {

    /** How many characters of client text a log line keeps. */
    public static final int MAX = 200;

    private LogText() {
    }

    /**
     * Escapes what could end or disguise a log line and shortens long text: C0 and C1 control characters (U+0000 to
     * U+001F, U+007F to U+009F, which holds NEL U+0085 and CSI U+009B), the line and paragraph separators U+2028 and
     * U+2029, and unpaired surrogates, each as {@code \\uXXXX}; text longer than {@link #MAX} characters is cut there
     * and ends with {@code ...}.
     *
     * @param s the text, may be {@code null}
     * @return the text, safe to log on one line
     */
    public static String safe(String s) {
        if (s == null) {
            return "";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean escape = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || lone(s, i, n);
            if (escape && b == null) {
                b = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (b != null) {
                if (escape) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        String out = b != null ? b.toString() : s.substring(0, n);
        return s.length() > MAX ? out + "..." : out;
    }

    /** An unpaired surrogate at {@code i} of the first {@code n} characters: a log encoder would mangle it. */
    private static boolean lone(String s, int i, int n) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
