package dev.wsrv.it.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * WildFly (standalone.xml) started through bin/standalone.sh from an unpacked wildfly-dist. The pristine dist is not
 * touched: each run gets its own jboss.server.base.dir under the log dir, with a copy of standalone/configuration and the
 * WAR in its deployments/ folder (deployed at boot, context root = WAR file name). Every listener is on 127.0.0.1.
 */
public final class WildFlyTarget extends AppServerTarget {
    /** Uses -Dit.wildfly.home and -Dit.demo.war (set by it-tests/pom.xml), free ports, and readiness path {@code readyPath}. */
    public static WildFlyTarget start(Map<String, String> appSystemProperties, String readyPath) {
        return start("wildfly", "it.wildfly.home", JavaHomes.running(), appSystemProperties, readyPath);
    }

    /**
     * Like {@link #start(Map, String)} for another WildFly: the dist named by the system property {@code homeProperty},
     * run by the Java in {@code javaHome}, reported as {@code name}.
     */
    public static WildFlyTarget start(String name, String homeProperty, Path javaHome,
                                      Map<String, String> appSystemProperties, String readyPath) {
        return new WildFlyTarget(name, Target.requiredPath(homeProperty), javaHome, Target.requiredPath("it.demo.war"),
                Target.freePorts(1)[0], appSystemProperties, readyPath, Duration.ofSeconds(120));
    }

    /**
     * @param name                the target's name in test reports
     * @param wildflyHome         the unpacked wildfly-dist (contains bin/standalone.sh)
     * @param javaHome            the Java that runs the server
     * @param war                 the WAR; its file name without ".war" is the context root
     * @param port                HTTP port on 127.0.0.1 (management and https get other free ports)
     * @param appSystemProperties passed as -Dkey=value server arguments (e.g. wsrv.idleTimeoutMs=2000)
     * @param readyPath           path relative to {@link #httpBase()} that answers 2xx once the app is deployed
     * @param timeout             bound for start + deployment
     */
    public WildFlyTarget(String name, Path wildflyHome, Path javaHome, Path war, int port, Map<String, String> appSystemProperties, String readyPath,
                         Duration timeout) {
        super(name, port, war);
        Path script = wildflyHome.resolve("bin/standalone.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " not found: is " + wildflyHome + " an unpacked wildfly-dist?");
        }
        Path base = Target.logDir().resolve(name + "-" + port);
        Path deployments = base.resolve("deployments");
        try {
            deleteTree(base);
            copyTree(wildflyHome.resolve("standalone/configuration"), base.resolve("configuration"));
            allowJakartaSecurityIdentities(base.resolve("configuration/standalone.xml"));
            Files.createDirectories(deployments);
            Files.copy(war, deployments.resolve(context + ".war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] others = Target.freePorts(4);
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", script.toAbsolutePath().toString(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.http.port=" + port,
                "-Djboss.https.port=" + pick(others, 0, port),
                "-Djboss.management.http.port=" + pick(others, 1, port),
                "-Djboss.management.https.port=" + pick(others, 2, port),
                "-Djboss.ajp.port=" + pick(others, 3, port)));
        appSystemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        Map<String, String> env = Map.of(
                "JAVA_HOME", javaHome.toString(),
                // standalone.conf puts JBOSS_JAVA_SIZING in front of its default JAVA_OPTS (setting JAVA_OPTS would drop them)
                "JBOSS_JAVA_SIZING", "-Xms64m " + String.join(" ", Target.serverJvmOpts()),
                "LAUNCH_JBOSS_IN_BACKGROUND", "1", // standalone.sh then forwards SIGTERM to the java child
                "NOPAUSE", "true");
        Path log = Target.logDir().resolve(name + "-" + port + ".log");
        start(new ServerProcess(name + ":" + port, cmd, env, base, log, base), readyPath, timeout,
                () -> deployFailure(deployments.resolve(context + ".war.failed")));
    }

    /**
     * Lets a Jakarta Security mechanism of the application (the demo's DemoIdentity) log in identities that are not
     * in WildFly's own realm: integrated-jaspi=false on the web "other" domain, as WildFly's documentation asks.
     */
    private static void allowJakartaSecurityIdentities(Path standaloneXml) throws IOException {
        String xml = Files.readString(standaloneXml, StandardCharsets.UTF_8);
        int undertow = xml.indexOf("urn:jboss:domain:undertow:");
        String plain = "<application-security-domain name=\"other\" security-domain=\"ApplicationDomain\"/>";
        int at = undertow < 0 ? -1 : xml.indexOf(plain, undertow);
        if (at < 0) {
            throw new IllegalStateException("no web application-security-domain \"other\" in " + standaloneXml);
        }
        Files.writeString(standaloneXml, xml.substring(0, at) + plain.replace("/>", " integrated-jaspi=\"false\"/>")
                + xml.substring(at + plain.length()), StandardCharsets.UTF_8);
    }

    private static int pick(int[] free, int i, int avoid) {
        return free[i] != avoid ? free[i] : Target.freePorts(1)[0];
    }

    private static Optional<String> deployFailure(Path failedMarker) {
        if (!Files.exists(failedMarker)) return Optional.empty();
        try {
            return Optional.of("deployment failed: " + Files.readString(failedMarker, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.of("deployment failed (" + failedMarker + ")");
        }
    }
}
