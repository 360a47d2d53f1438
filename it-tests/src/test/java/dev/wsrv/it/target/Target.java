package dev.wsrv.it.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A place where the demo WAR runs: embedded Tyrus, Payara Micro, WildFly or GlassFish.
 * The same protocol tests run against every target, with the same expectations.
 */
public interface Target extends AutoCloseable {

    /** The name in test reports: "embedded", "payara", "wildfly", "payara7", "wildfly39", "glassfish8". */
    String name();

    /** ws://127.0.0.1:P/&lt;context&gt;/ws */
    URI wsUri();

    /** http://127.0.0.1:P/&lt;context&gt;/ (ends with a slash; resolve "api/notify/u1" against it). */
    URI httpBase();

    /** Stops the target; never throws. Idempotent. */
    @Override
    void close();

    // ------------------------------------------------------------------ helpers shared by the targets

    /** A required system property naming an existing file or directory, or a clear failure. */
    static Path requiredPath(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("System property '" + property + "' is not set: it is passed by it-tests/pom.xml "
                    + "(surefire/failsafe systemPropertyVariables); run the build with 'mvn verify' from the root");
        }
        Path p = Path.of(v);
        if (!Files.exists(p)) {
            throw new IllegalStateException("System property '" + property + "' = " + p + " does not exist "
                    + "(did the maven-dependency-plugin copy/unpack in it-tests run?)");
        }
        return p;
    }

    /** Directory for server logs and per-run state: -Dit.log.dir, else target/app-server-logs. */
    static Path logDir() {
        Path d = Path.of(System.getProperty("it.log.dir", "target/app-server-logs"));
        try {
            return Files.createDirectories(d).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JVM flags for the server processes: C1 only + serial GC roughly halves Payara's start on this 2-core machine when it is
     * busy (measured 56-114 s -> 24-33 s under load). Override with -Dit.server.jvmOpts="..." (space separated).
     */
    static List<String> serverJvmOpts() {
        String v = System.getProperty("it.server.jvmOpts", "-Xmx512m -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
    }

    /** {@code n} distinct free TCP ports on 127.0.0.1 (all held open while choosing, so they differ). */
    static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try { s.close(); } catch (IOException ignored) { }
            }
        }
    }

    /**
     * An application server run as an external process: output to a log file, readiness by HTTP polling,
     * stop by SIGTERM to the whole process tree then SIGKILL after a bound, plus a JVM shutdown hook as a safety net.
     */
    final class ServerProcess implements AutoCloseable {
        private final String name;
        private final Path logFile;
        private final Path stateDir;
        private final Process process;
        private final Thread shutdownHook;
        private final long startNanos = System.nanoTime();
        private volatile boolean stopped;

        /**
         * Starts {@code command} in {@code workDir} with stdout+stderr to {@code logFile}. {@code stateDir} (may be null) is
         * deleted once the process tree is gone, whether stopped by close(), a start failure or the shutdown hook.
         */
        public ServerProcess(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile, Path stateDir) {
            this.name = name;
            this.logFile = logFile;
            this.stateDir = stateDir;
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            pb.environment().putAll(env);
            try {
                Files.writeString(logFile.resolveSibling(logFile.getFileName() + ".cmd"), String.join(" ", command) + "\n");
                this.process = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start " + name + ": " + command, e);
            }
            this.shutdownHook = new Thread(() -> stop(Duration.ofSeconds(10)), "stop-" + name);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        private static java.io.File nullFile() {
            return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
        }

        public Process process() { return process; }

        public Path logFile() { return logFile; }

        /**
         * Polls {@code url} until it answers 2xx/3xx. Fails (after stopping the process) if the process exits, if
         * {@code failFast} returns a message, or when the deadline passes; the message carries the last 50 log lines.
         * Returns the time from process start to readiness.
         */
        public Duration awaitReady(URI url, Duration timeout, Supplier<Optional<String>> failFast) {
            Readiness poll = new Readiness(url, failFast);
            try {
                org.awaitility.Awaitility.await(name + " ready at " + url).atMost(timeout)
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(150)).until(poll::done);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw failure(name + " not ready at " + url + " within " + timeout.toSeconds() + " s (last: " + poll.last + ")");
            }
            if (poll.fatal != null) {
                throw failure(poll.fatal);
            }
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** One readiness poll after another; done when the server answers or can no longer start. */
        private final class Readiness {
            private final URI url;
            private final Supplier<Optional<String>> failFast;
            // HTTP/1.1: Payara answers h2c upgrades, and a wedged pooled HTTP/2 connection once made every poll time
            // out for two minutes after the server was ready. A fresh client after each timeout keeps polls independent.
            private HttpClient http = newPollClient();
            private volatile String last = "no answer yet";
            private volatile String fatal;

            Readiness(URI url, Supplier<Optional<String>> failFast) {
                this.url = url;
                this.failFast = failFast;
            }

            boolean done() throws InterruptedException {
                if (!process.isAlive()) {
                    fatal = name + " exited with code " + process.exitValue() + " before " + url + " was ready";
                    return true;
                }
                Optional<String> failed = failFast.get();
                if (failed.isPresent()) {
                    fatal = name + " failed to start: " + failed.get();
                    return true;
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    last = "HTTP " + r.statusCode();
                    return r.statusCode() >= 200 && r.statusCode() < 400;
                } catch (java.net.http.HttpTimeoutException e) {
                    last = e.toString();
                    http = newPollClient();
                } catch (IOException e) {
                    last = e.toString();
                }
                return false;
            }
        }

        private static HttpClient newPollClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        }

        private IllegalStateException failure(String message) {
            stop(Duration.ofSeconds(10));
            return new IllegalStateException(message + "\n--- last 50 lines of " + logFile + " ---\n" + tail(50));
        }

        /** The last {@code n} lines of the server log. */
        public String tail(int n) {
            try {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
                return lines.subList(Math.max(0, lines.size() - n), lines.size()).stream()
                        .map(l -> l.replaceAll("\u001B\\[[;\\d]*m", "")) // Payara colours its log
                        .collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "(cannot read " + logFile + ": " + e + ")";
            }
        }

        /** The process and every descendant that is still alive. */
        public List<ProcessHandle> tree() {
            List<ProcessHandle> all = new ArrayList<>();
            all.add(process.toHandle());
            process.toHandle().descendants().forEach(all::add);
            return all;
        }

        /**
         * SIGTERM to the whole tree (children first), wait up to {@code grace}, then SIGKILL whatever is left.
         * Idempotent; returns how long it took.
         */
        public synchronized Duration stop(Duration grace) {
            long t0 = System.nanoTime();
            if (stopped) return Duration.ZERO;
            stopped = true;
            List<ProcessHandle> tree = tree(); // snapshot before children are re-parented
            for (int i = tree.size() - 1; i >= 0; i--) tree.get(i).destroy();
            try {
                org.awaitility.Awaitility.await(name + " stops").atMost(grace).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
            } catch (org.awaitility.core.ConditionTimeoutException stillAlive) {
                // killed below
            }
            for (ProcessHandle h : tree) {
                if (h.isAlive()) {
                    System.err.println("[" + name + "] pid " + h.pid() + " still alive after " + grace.toSeconds() + " s: SIGKILL");
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                }
            }
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported by the caller's check of isAlive()
                }
            }
            if (stateDir != null && Files.exists(stateDir) && tree.stream().noneMatch(ProcessHandle::isAlive)) {
                try (var s = Files.walk(stateDir)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                } catch (IOException | RuntimeException e) {
                    System.err.println("[" + name + "] could not delete " + stateDir + ": " + e);
                }
            }
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // JVM already shutting down
                }
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        }

        @Override
        public void close() {
            stop(Duration.ofSeconds(20));
        }
    }
}
