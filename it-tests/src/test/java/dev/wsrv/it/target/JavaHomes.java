package dev.wsrv.it.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a Java runtime of at least {@link #EE11_MINIMUM} for the Jakarta EE 11 servers, which need one, while the
 * tests and the wsrv jars stay on Java 17. The it-tests build runs {@link #main} once to pick the runtime for both
 * test runs and hands it to the tests as {@code -Dit.java21.home}.
 */
public final class JavaHomes {

    /** The oldest Java feature release that Payara Micro 7, WildFly 39 and GlassFish 8 run on. */
    public static final int EE11_MINIMUM = 21;

    /** Where Debian, Ubuntu and the Temurin packages install JDKs. */
    private static final Path SYSTEM_JVMS = Path.of("/usr/lib/jvm");

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE);

    private JavaHomes() {
    }

    /** The home of the JVM the tests run on. */
    public static Path running() {
        return Path.of(System.getProperty("java.home"));
    }

    /**
     * The Java 21+ home for the servers: {@code -Dit.java21.home} when set, else {@code $JAVA21_HOME}, else the
     * running JVM when it is new enough, else the newest one under /usr/lib/jvm. Empty when there is none.
     */
    public static Optional<Path> java21() {
        String given = System.getProperty("it.java21.home", "");
        if (!given.isBlank() && !given.startsWith("${")) {
            return Optional.of(Path.of(given)).filter(JavaHomes::isJava21);
        }
        String env = System.getenv("JAVA21_HOME");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(JavaHomes::isJava21);
        }
        if (Runtime.version().feature() >= EE11_MINIMUM) {
            return Optional.of(running());
        }
        return newestUnder(SYSTEM_JVMS);
    }

    /** The newest JDK of at least {@link #EE11_MINIMUM} directly under {@code dir}. */
    static Optional<Path> newestUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> homes;
        try (Stream<Path> s = Files.list(dir)) {
            homes = s.filter(JavaHomes::isJava21).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        // the same JDK is often listed twice (a directory and a symbolic link to it): sort for a stable choice
        return homes.stream().max(Comparator.<Path>comparingInt(h -> featureVersion(h).orElse(0))
                .thenComparing(Comparator.comparing(Path::toString).reversed()));
    }

    private static boolean isJava21(Path home) {
        return Files.isExecutable(home.resolve("bin/java")) && featureVersion(home).orElse(0) >= EE11_MINIMUM;
    }

    /** The feature release (17, 21, 25) a Java home declares in its {@code release} file. */
    static OptionalInt featureVersion(Path home) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** Prints the Java 21+ home, or nothing when there is none; the it-tests build reads it. */
    public static void main(String[] args) {
        java21().ifPresent(home -> System.out.print(home.toAbsolutePath().normalize()));
    }
}
