package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.it.support.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link EmbeddedServer#awaitShutdown()}: an embedded server run as an application. */
@Timeout(60)
class AwaitShutdownTest {

    @Test
    void returnsWhenTheServerIsClosed() throws Exception {
        EmbeddedServer server = EmbeddedServer.builder().port(0).start();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                server.awaitShutdown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();
        server.close();
        // returns whether the waiting thread got there before the close or after it
        waiting.get(10, TimeUnit.SECONDS);
        server.awaitShutdown();
        assertThatThrownBy(EmbeddedServer.builder().port(0).build()::awaitShutdown)
                .isInstanceOf(IllegalStateException.class).hasMessage("not started");
    }

    /**
     * SIGTERM to a JVM that waits in awaitShutdown: the sessions are closed with 1001, the application's shutdown
     * observers and {@code @PreDestroy} methods run, and every line they and the server log reaches the console,
     * although java.util.logging's own shutdown hook removes the console handler meanwhile.
     */
    @Test
    void theJvmsShutdownClosesTheServerAndItsLinesReachTheLog(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("stderr.txt");
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ShutdownApp.class.getName())
                .redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertThat(ready).as("the application's first line (stderr: %s)", err).startsWith("READY ");
            try (TestClient client = TestClient.connect(URI.create(ready.substring("READY ".length())))) {
                assertThat(client.request("request-scope", "1", null).getInt("status")).as("the session is open").isZero();
                app.destroy();   // SIGTERM
                assertThat(client.awaitClose().code()).isEqualTo(1001);
            }
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
            assertThat(app.exitValue()).isEqualTo(143);
            List<String> lines = Files.readAllLines(err);
            assertThat(lines).as("stderr").contains("INFO: application shutting down", "INFO: application bean destroyed",
                    "INFO: wsrv stopped after closing 1 session");
        } finally {
            app.destroyForcibly();
        }
    }
}
