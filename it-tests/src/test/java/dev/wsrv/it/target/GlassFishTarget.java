package dev.wsrv.it.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * GlassFish started with bin/startserv (the server JVM in the foreground) from an unpacked glassfish distribution. The
 * pristine distribution is not touched: each run gets a copy of domains/domain1 under the log dir, with every listener
 * of its server-config moved to 127.0.0.1 and a free port, the JMS broker off, and the WAR in its autodeploy/ folder
 * (context root = WAR file name).
 */
public final class GlassFishTarget extends AppServerTarget {

    private static final Pattern PORT = Pattern.compile(
            "((?:port=\"|telnet\\.port=|name=\"JMS_PROVIDER_PORT\" value=\")\\s*)(\\d+)");

    /**
     * Uses the distribution named by the system property {@code homeProperty} and -Dit.demo.war, free ports, and
     * readiness path {@code readyPath}; {@code javaHome} runs the server, reported as {@code name}.
     */
    public static GlassFishTarget start(String name, String homeProperty, Path javaHome,
                                        Map<String, String> appSystemProperties, String readyPath) {
        return new GlassFishTarget(name, Target.requiredPath(homeProperty), javaHome,
                Target.requiredPath("it.demo.war"), Target.freePorts(1)[0], appSystemProperties, readyPath,
                Duration.ofSeconds(120));
    }

    /**
     * @param name                the target's name in test reports
     * @param glassfishHome       the unpacked distribution (contains bin/startserv and glassfish/domains/domain1)
     * @param javaHome            the Java that runs the server
     * @param war                 the WAR; its file name without ".war" is the context root
     * @param port                HTTP port on 127.0.0.1 (the other listeners get other free ports)
     * @param appSystemProperties added to the server's JVM options as -Dkey=value (e.g. wsrv.idleTimeoutMs=2000)
     * @param readyPath           path relative to {@link #httpBase()} that answers 2xx once the app is deployed
     * @param timeout             bound for start + deployment
     */
    public GlassFishTarget(String name, Path glassfishHome, Path javaHome, Path war, int port,
                           Map<String, String> appSystemProperties, String readyPath, Duration timeout) {
        super(name, port, war);
        Path script = glassfishHome.resolve("bin/startserv");
        Path pristine = glassfishHome.resolve("glassfish/domains/domain1");
        if (!Files.isRegularFile(script) || !Files.isDirectory(pristine)) {
            throw new IllegalStateException(script + " or " + pristine + " not found: is " + glassfishHome
                    + " an unpacked GlassFish distribution?");
        }
        Path domains = Target.logDir().resolve(name + "-" + port);
        Path domain = domains.resolve("domain1");
        Path autodeploy = domain.resolve("autodeploy");
        try {
            deleteTree(domains);
            copyTree(pristine, domain);
            Path domainXml = domain.resolve("config/domain.xml");
            Files.writeString(domainXml, loopbackOnly(Files.readString(domainXml, StandardCharsets.UTF_8), port,
                    appSystemProperties), StandardCharsets.UTF_8);
            Files.copy(war, autodeploy.resolve(context + ".war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of("/bin/bash", script.toAbsolutePath().toString(), "--domaindir", domains.toString(),
                "domain1");
        Path log = Target.logDir().resolve(name + "-" + port + ".log");
        start(new ServerProcess(name + ":" + port, cmd, Map.of("AS_JAVA", javaHome.toString()), domains, log, domains),
                readyPath, timeout, () -> deployFailure(autodeploy.resolve(context + ".war_deployFailed"), log));
    }

    /**
     * The domain's server-config with every port replaced by a free one ({@code port} for http-listener-1), every
     * listener on 127.0.0.1, the JVM options of the test run, and the JMS broker off (it would listen on every
     * interface, and the demo does not use it).
     */
    static String loopbackOnly(String domainXml, int port, Map<String, String> appSystemProperties) {
        int from = domainXml.indexOf("<config name=\"server-config\">");
        int to = from < 0 ? -1 : domainXml.indexOf("</config>", from);
        if (to < 0) {
            throw new IllegalStateException("no server-config in domain.xml");
        }
        Map<String, String> ports = new HashMap<>(Map.of("8080", String.valueOf(port)));
        Matcher m = PORT.matcher(domainXml.substring(from, to));
        StringBuilder config = new StringBuilder();
        while (m.find()) {
            String fresh = ports.computeIfAbsent(m.group(2), p -> String.valueOf(Target.freePorts(1)[0]));
            m.appendReplacement(config, Matcher.quoteReplacement(m.group(1) + fresh));
        }
        m.appendTail(config);
        // appended, so that they come after (and win over) the domain's own -Xmx
        String jvmOptions = Target.serverJvmOpts().stream()
                .map(o -> "<jvm-options>" + o + "</jvm-options>")
                .collect(Collectors.joining()) + appSystemProperties.entrySet().stream()
                .map(e -> "<jvm-options>-D" + e.getKey() + "=" + e.getValue() + "</jvm-options>")
                .collect(Collectors.joining());
        String patched = config.toString()
                .replace("address=\"0.0.0.0\"", "address=\"127.0.0.1\"")
                .replace("<network-listener port=", "<network-listener address=\"127.0.0.1\" port=")
                .replace("type=\"EMBEDDED\"", "type=\"DISABLED\"")
                .replace("</java-config>", jvmOptions + "</java-config>");
        return domainXml.substring(0, from) + patched + domainXml.substring(to);
    }

    private static Optional<String> deployFailure(Path failedMarker, Path log) {
        if (!Files.exists(failedMarker)) {
            return Optional.empty();
        }
        return Optional.of("autodeploy failed (" + failedMarker + "); see " + log);
    }
}
