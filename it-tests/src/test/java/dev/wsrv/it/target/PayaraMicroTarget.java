package dev.wsrv.it.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payara Micro started as {@code java -jar payara-micro.jar --nohazelcast ...} with the WAR deployed at /&lt;war file name&gt;.
 * Only the HTTP listener is opened, bound to 127.0.0.1 (preboot command); Hazelcast (port 6900) is off.
 */
public final class PayaraMicroTarget extends AppServerTarget {
    /** Uses -Dit.payara.jar and -Dit.demo.war (set by it-tests/pom.xml), a free port, and readiness path {@code readyPath}. */
    public static PayaraMicroTarget start(Map<String, String> appSystemProperties, String readyPath) {
        return start("payara", "it.payara.jar", JavaHomes.running(), appSystemProperties, readyPath);
    }

    /**
     * Like {@link #start(Map, String)} for another Payara Micro: the jar named by the system property {@code jarProperty},
     * run by the Java in {@code javaHome}, reported as {@code name}.
     */
    public static PayaraMicroTarget start(String name, String jarProperty, Path javaHome,
                                          Map<String, String> appSystemProperties, String readyPath) {
        return new PayaraMicroTarget(name, Target.requiredPath(jarProperty), javaHome, Target.requiredPath("it.demo.war"),
                Target.freePorts(1)[0], appSystemProperties, readyPath, Duration.ofSeconds(120));
    }

    /**
     * @param name                the target's name in test reports
     * @param payaraJar           payara-micro-6.x.jar or payara-micro-7.x.jar
     * @param javaHome            the Java that runs the server
     * @param war                 the WAR; its file name without ".war" is the context root
     * @param port                HTTP port on 127.0.0.1
     * @param appSystemProperties passed as -Dkey=value JVM arguments (e.g. wsrv.idleTimeoutMs=2000)
     * @param readyPath           path relative to {@link #httpBase()} that answers 2xx once the app is deployed (e.g. "api/health")
     * @param timeout             bound for start + deployment
     */
    public PayaraMicroTarget(String name, Path payaraJar, Path javaHome, Path war, int port, Map<String, String> appSystemProperties, String readyPath,
                             Duration timeout) {
        super(name, port, war);
        Path dir = Target.logDir().resolve(name + "-" + port);
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("preboot.txt"),
                    "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(Target.serverJvmOpts());
        cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        appSystemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", payaraJar.toAbsolutePath().toString(),
                "--nohazelcast", "--disablephonehome",
                "--port", String.valueOf(port),
                "--prebootcommandfile", dir.resolve("preboot.txt").toString(),
                "--rootdir", dir.resolve("root").toString(),
                "--deploy", war.toAbsolutePath().toString()));
        try {
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = Target.logDir().resolve(name + "-" + port + ".log");
        start(new ServerProcess(name + ":" + port, cmd, Map.of(), dir, log, dir), readyPath, timeout,
                () -> deployFailure(log));
    }

    private static Optional<String> deployFailure(Path log) {
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                if (line.contains("Exception while loading the app") || line.contains("Exception while deploying")
                        || line.contains("Deployment failed")) {
                    return Optional.of(line.replaceAll("\u001B\\[[;\\d]*m", ""));
                }
            }
        } catch (IOException ignored) {
            // not written yet
        }
        return Optional.empty();
    }
}
