package dev.wsrv.cluster.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child process whose output goes to a log file (and memory); waits for a marker line. Every wait is bounded. */
final class Proc implements AutoCloseable {

    static final Path LOG_DIR = Path.of(System.getProperty("cluster.log.dir", "target/node-logs"));
    static final String REDIS_BIN = System.getProperty("redis.bin.dir", "/usr/bin");

    final String name;
    private final Process process;
    private final CompletableFuture<String> marker = new CompletableFuture<>();
    private final List<String> lines = new ArrayList<>();

    private Proc(String name, List<String> command, String markerText) {
        this.name = name;
        try {
            Files.createDirectories(LOG_DIR);
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = LOG_DIR.resolve(name + ".log");
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.println(line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.contains(markerText)) {
                        marker.complete(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            marker.completeExceptionally(new IllegalStateException(name + " ended before '" + markerText + "'; see " + log));
        }, "pump-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A redis-server without persistence: a restart loses everything. */
    static Proc redis(int port) {
        return new Proc("redis-" + port, List.of(REDIS_BIN + "/redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), "Ready to accept connections");
    }

    /** A redis-server that writes every command to its append-only file in {@code dir} before answering it. */
    static Proc persistentRedis(int port, Path dir) {
        return new Proc("redis-" + port, List.of(REDIS_BIN + "/redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dir.toAbsolutePath().toString()), "Ready to accept connections");
    }

    static Proc node(String name, int port, String redisUri) {
        return node(name, port, redisUri, false);
    }

    /** Starts a node that also serves the operator console, when asked. */
    static Proc node(String name, int port, String redisUri, boolean console) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName(), "--port", Integer.toString(port)));
        if (redisUri != null) {
            cmd.add("--redis");
            cmd.add(redisUri);
        }
        if (console) {
            cmd.add("--console");
        }
        return new Proc(name, cmd, "READY ");
    }

    /** Publishes with redis-cli and returns its output (the receiver count). */
    static String publish(int redisPort, String channel, String message) throws Exception {
        return redisCli(redisPort, "PUBLISH", channel, message);
    }

    /** Runs one redis-cli command and returns its output. */
    static String redisCli(int redisPort, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(REDIS_BIN + "/redis-cli", "-p", Integer.toString(redisPort)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    String awaitReady(Duration wait) throws Exception {
        return marker.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether some output line so far contains the text. */
    boolean logged(String text) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    long count(String text) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }
    }

    /** SIGKILL at once, as {@code kill -9}: the process ends without running anything of its own. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM without waiting: {@link #close()} waits, so that several processes stop at once. */
    void stop() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL if it does not end in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
