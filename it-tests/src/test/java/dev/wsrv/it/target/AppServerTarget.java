package dev.wsrv.it.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What Payara Micro and WildFly have in common as targets: a server process on a loopback port with the WAR at
 * /&lt;war file name&gt;, its URIs, and its stop. Subclasses build the command line and call {@link #start}.
 */
abstract class AppServerTarget implements Target {

    private final String name;
    protected final int port;
    protected final String context;
    private Target.ServerProcess server;
    private Duration startTime;

    AppServerTarget(String name, int port, Path war) {
        this.name = name;
        this.port = port;
        this.context = contextOf(war);
    }

    /** Runs the server and waits until {@code readyPath} answers 2xx, failing early on {@code failure}. */
    protected final void start(Target.ServerProcess process, String readyPath, Duration timeout,
                               Supplier<Optional<String>> failure) {
        this.server = process;
        this.startTime = process.awaitReady(httpBase().resolve(readyPath), timeout, failure);
    }

    static String contextOf(Path war) {
        String f = war.getFileName().toString();
        return f.endsWith(".war") ? f.substring(0, f.length() - 4) : f;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies the directory {@code from} with everything in it to {@code to}, replacing files that exist. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/" + context + "/ws");
    }

    @Override
    public URI httpBase() {
        return URI.create("http://127.0.0.1:" + port + "/" + context + "/");
    }

    /** Time from process start until the ready path answered. */
    public Duration startTime() {
        return startTime;
    }

    public Target.ServerProcess process() {
        return server;
    }

    /** Stops the process tree and deletes the per-run state directory (the log file stays). */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
