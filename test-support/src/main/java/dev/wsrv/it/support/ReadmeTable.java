package dev.wsrv.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds a generated part of the project's README.md to what generates it: the lines between
 * {@code <!-- NAME table: generated from the @Setting declarations -->} and {@code <!-- end of NAME table -->}.
 * Run from a module directory, next to the README's directory.
 */
public final class ReadmeTable {

    private static final Path README = Path.of("..", "README.md");

    private ReadmeTable() {
    }

    /**
     * Fails when the README's table differs from the expected one, with the table to paste in the message. With
     * {@code -Dwsrv.writeReadme=true} it writes the table into the README instead.
     *
     * @param name the table's name in its markers, such as {@code settings}
     * @param expected the table, each line ending in a newline
     * @throws IOException if the README cannot be read or written
     * @throws AssertionError if the markers are missing or the table differs
     */
    public static void check(String name, String expected) throws IOException {
        check(name, "the @Setting declarations", expected);
    }

    /**
     * Fails when the README's table differs from the expected one, like {@link #check(String, String)}, for a table
     * generated from something else: its start marker reads {@code <!-- NAME table: generated from SOURCE -->}.
     *
     * @param name the table's name in its markers, such as {@code metrics}
     * @param source what generates it, as its start marker says
     * @param expected the table, each line ending in a newline
     * @throws IOException if the README cannot be read or written
     * @throws AssertionError if the markers are missing or the table differs
     */
    public static void check(String name, String source, String expected) throws IOException {
        String begin = "<!-- " + name + " table: generated from " + source + " -->\n";
        String end = "<!-- end of " + name + " table -->";
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError("README.md has no " + name + " table between " + begin.trim() + " and " + end);
        }
        String actual = readme.substring(from + begin.length(), to);
        if (actual.equals(expected)) {
            return;
        }
        if (Boolean.getBoolean("wsrv.writeReadme")) {
            Files.writeString(README, readme.substring(0, from + begin.length()) + expected + readme.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        throw new AssertionError("README.md's " + name + " table differs from the declarations; paste this one, or run"
                + " the test with -Dwsrv.writeReadme=true:\n" + expected + "\nREADME.md has:\n" + actual);
    }
}
