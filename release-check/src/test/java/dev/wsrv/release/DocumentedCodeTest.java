package dev.wsrv.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} code block of README.md and docs/ is a whole source file, imports included, and all of them
 * compile together against the published jars, so that the documentation cannot drift from the API.
 */
class DocumentedCodeTest {

    private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    @Test
    void everyJavaBlockCompiles(@TempDir Path dir) throws IOException {
        Map<String, String> origin = new HashMap<>();
        List<File> files = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            Matcher block = BLOCK.matcher(text);
            while (block.find()) {
                String where = Pom.ROOT.relativize(doc) + ":" + lineOf(text, block.start());
                String code = block.group(1);
                Matcher type = TYPE.matcher(code);
                assertThat(type.find()).as("%s declares a class, record or interface (a whole file, with its imports)",
                        where).isTrue();
                String name = type.group(1);
                assertThat(origin.put(name, where)).as("a second %s at %s", name, where).isNull();
                Path file = dir.resolve(name + ".java");
                Files.writeString(file, code);
                files.add(file.toFile());
            }
        }
        assertThat(files).as("java blocks in README.md and docs/").hasSizeGreaterThanOrEqualTo(6);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        List<String> options = List.of("-d", dir.resolve("classes").toString(), "-proc:none", "--release", "17",
                "-classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        try (var fm = javac.getStandardFileManager(null, null, null)) {
            boolean ok = javac.getTask(out, fm, null, options, null, fm.getJavaFileObjectsFromFiles(files)).call();
            String report = out.toString();
            for (Map.Entry<String, String> e : origin.entrySet()) {
                report = report.replace(dir.resolve(e.getKey() + ".java").toString(), e.getKey() + " (" + e.getValue() + ")");
            }
            assertThat(ok).as("the documented code compiles:%n%s", report).isTrue();
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Pom.ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(Pom.ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
