package dev.wsrv.runtime;

/**
 * Makes client-supplied text safe for one log line, and starts every line about a session the same way:
 * {@code wsrv session=<id> cmd=<cmd> seqno=<seqno> errorId=<id>: <text>}, each field only where it applies, always in
 * this order, a value that is empty or holds a space, {@code =} or {@code :} in double quotes, a {@code "} in a value
 * written as {@code \u0022}. A line about no session starts with {@code wsrv:} or with
 * {@code wsrv errorId=...}. README.md ("Log lines") documents the form.
 */
public final class LogText {

    /** How many characters of client text a log line keeps. */
    public static final int MAX = 200;

    private LogText() {
    }

    /**
     * Starts a log line about a session.
     *
     * @param sessionId the session id
     * @return {@code wsrv session=<id>}
     */
    public static String session(String sessionId) {
        return fields("session", sessionId);
    }

    /**
     * Starts a log line about one request of a session.
     *
     * @param sessionId the session id
     * @param cmd the request's command, as the client sent it
     * @return {@code wsrv session=<id> cmd=<cmd>}
     */
    public static String request(String sessionId, String cmd) {
        return fields("session", sessionId, "cmd", cmd);
    }

    /**
     * Starts a log line with named values: {@code wsrv name=value name=value}, each value made {@link #safe} and
     * quoted where it must be, so that the line splits back into its fields.
     *
     * @param namesAndValues names and values in turn; a {@code null} value is written as empty
     * @return the start of the line, without the {@code :} that ends the fields
     */
    public static String fields(String... namesAndValues) {
        StringBuilder b = new StringBuilder("wsrv");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            b.append(' ').append(namesAndValues[i]).append('=').append(value(namesAndValues[i + 1]));
        }
        return b.toString();
    }

    private static String value(String raw) {
        // a quote inside a value would end it early: written like the other characters safe() escapes
        String v = safe(raw).replace("\"", "\\u0022");
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ' ' || c == '=' || c == ':';
        }
        return quote ? '"' + v + '"' : v;
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
