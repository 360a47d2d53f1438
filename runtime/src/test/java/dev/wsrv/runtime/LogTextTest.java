package dev.wsrv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void everyLineBreakingOrTerminalControlCharacterIsEscaped() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(LogText.safe("a" + c + "b")).isEqualTo(String.format("a\\u%04xb", (int) c));
        }
        for (char c = 0x7f; c <= 0x9f; c++) {
            assertThat(LogText.safe("a" + c + "b")).as("U+%04X", (int) c).isEqualTo(String.format("a\\u%04xb", (int) c));
        }
        assertThat(LogText.safe("x\u2028y\u2029z\u0085w\u009b[2J")).isEqualTo("x\\u2028y\\u2029z\\u0085w\\u009b[2J");
    }

    @Test
    void unpairedSurrogatesAreEscapedAndPairsKept() {
        assertThat(LogText.safe("\ud800a\udc00")).isEqualTo("\\ud800a\\udc00");
        assertThat(LogText.safe("\ud83d\ude00")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void plainTextIsKeptAndLongTextCutAtTwoHundredCharacters() {
        assertThat(LogText.safe("héllo wörld")).isEqualTo("héllo wörld");
        assertThat(LogText.safe(null)).isEmpty();
        assertThat(LogText.safe("x".repeat(200))).isEqualTo("x".repeat(200));
        assertThat(LogText.safe("y".repeat(201))).isEqualTo("y".repeat(200) + "...");
        // a pair cut in half by the limit leaves no raw half behind
        assertThat(LogText.safe("z".repeat(199) + "\ud83d\ude00")).isEqualTo("z".repeat(199) + "\\ud83d...");
    }

    /** The fields of a line in the documented form, read back: name=value or name="quoted value". */
    private static final Pattern FIELD =
            Pattern.compile(" (\\w+)=(\"([^\"]*)\"|[^ \":=]+)");

    @Test
    void aLineAboutASessionStartsWithItsFieldsInOneParseableForm() {
        assertThat(LogText.session("7f3a")).isEqualTo("wsrv session=7f3a");
        assertThat(LogText.request("7f3a", "echo")).isEqualTo("wsrv session=7f3a cmd=echo");
        assertThat(LogText.fields("session", "s", "cmd", "a b", "seqno", "", "errorId", "x=\"y\"", "address", "a\\b"))
                .isEqualTo("wsrv session=s cmd=\"a b\" seqno=\"\" errorId=\"x=\\u0022y\\u0022\" address=a\\b");
        // a command that tries to look like more fields, or like the end of them, stays one value
        String line = LogText.request("s1", "echo\" errorId=forged: x\n") + ": text";
        Matcher m = FIELD.matcher(line.substring(0, line.indexOf(": text")));
        Map<String, String> fields = new LinkedHashMap<>();
        while (m.find()) {
            fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        assertThat(fields).containsExactly(Map.entry("session", "s1"),
                Map.entry("cmd", "echo\\u0022 errorId=forged: x\\u000a"));
    }
}
