package dev.wsrv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
}
