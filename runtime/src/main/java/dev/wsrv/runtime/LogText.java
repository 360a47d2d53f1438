package dev.wsrv.runtime;

/**
 * Makes client-supplied text safe for one log line.
 */
public final class LogText {

    private static final int MAX = 200;

    private LogText() {
    }

    /**
     * Escapes control characters (so that no new line can be injected) and shortens long text.
     *
     * @param s the text, may be {@code null}
     * @return the text, safe to log
     */
    public static String safe(String s) {
        if (s == null) {
            return "";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85;
            if (control && b == null) {
                b = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        String out = b != null ? b.toString() : s.substring(0, n);
        return s.length() > MAX ? out + "..." : out;
    }
}
