package dev.wsrv.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.demo.DemoMain;
import dev.wsrv.embedded.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java client example compiles as written and runs against the demo. */
@Timeout(60)
class ReadmeExampleTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf("### Java client");
        assertThat(at).as("the README's Java client section").isNotNegative();
        Matcher m = JAVA_BLOCK.matcher(readme);
        assertThat(m.find(at)).as("a java block in it").isTrue();
        String example = m.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(example);
        assertThat(name.find()).as("the example is a whole class, imports and all").isTrue();

        try (EmbeddedServer server = DemoMain.builder().port(0).start()) {
            assertThat(example).contains("\"ws://127.0.0.1:8800/ws\"");
            Path file = dir.resolve(name.group(1) + ".java");
            Files.writeString(file, example.replace("\"ws://127.0.0.1:8800/ws\"", "\"" + server.uri() + "\""));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int rc = javac.run(null, diagnostics, diagnostics, "-d", dir.toString(),
                    "-cp", System.getProperty("java.class.path"), file.toString());
            assertThat(rc).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    getClass().getClassLoader())) {
                loader.loadClass(name.group(1)).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
                Waits.until("the push listener's line", Waits.WAIT,
                        () -> out.toString(StandardCharsets.UTF_8).contains("new user {\"uid\":7}"));
            } finally {
                System.setOut(saved);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("422 invalid data\n").containsPattern(
                    "\nwsrv: register \\(seqno [0-9a-z]+-\\d+\\) failed with status 422: invalid data: uid: must be a"
                            + " positive integer\n");
        }
    }
}
