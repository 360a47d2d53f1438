package dev.wsrv.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the build publishes for users: the BOM lists exactly the published modules, every POM carries the project's
 * metadata, every jar names its module, the published modules have sources jars (and javadoc jars in a release
 * build). Reads the jars from the modules' target folders, so it runs after {@code mvn package} of the reactor.
 */
class PublishedArtifactsTest {

    /** The artifacts users depend on, with their module names. */
    static final Map<String, String> PUBLISHED = Map.of(
            "wsrv-api", "dev.wsrv.api",
            "wsrv-runtime", "dev.wsrv.runtime",
            "wsrv-embedded", "dev.wsrv.embedded",
            "wsrv-asyncapi", "dev.wsrv.asyncapi",
            "wsrv-cluster-redis", "dev.wsrv.cluster.redis",
            "wsrv-metrics-micrometer", "dev.wsrv.metrics.micrometer",
            "wsrv-tracing-opentelemetry", "dev.wsrv.tracing.opentelemetry",
            "wsrv-console", "dev.wsrv.console",
            "wsrv-client", "dev.wsrv.client",
            "wsrv-test", "dev.wsrv.test");

    /** Built after this module, or a POM only. it-tests holds only tests: its jar is empty. */
    static final Set<String> NOT_CHECKED = Set.of("bom", "release-check", "it-tests");

    static final Pom ROOT = Pom.read(Pom.ROOT.resolve("pom.xml"));
    static final String VERSION = ROOT.text("/project/version");

    @Test
    void theBomListsExactlyThePublishedModules() {
        Pom bom = Pom.read(Pom.ROOT.resolve("bom/pom.xml"));
        assertThat(bom.text("/project/parent")).as("the BOM has no parent, whose versions it would export").isEmpty();
        assertThat(bom.text("/project/groupId")).isEqualTo("dev.wsrv");
        assertThat(bom.text("/project/artifactId")).isEqualTo("wsrv-bom");
        assertThat(bom.text("/project/version")).isEqualTo(VERSION).isEqualTo(System.getProperty("wsrv.version", VERSION));
        assertThat(bom.text("/project/packaging")).isEqualTo("pom");

        List<String> listed = new ArrayList<>();
        for (Pom dependency : bom.all("/project/dependencyManagement/dependencies/dependency")) {
            assertThat(dependency.text("groupId")).isEqualTo("dev.wsrv");
            assertThat(dependency.text("version")).isEqualTo("${project.version}");
            assertThat(dependency.text("scope") + dependency.text("type") + dependency.text("classifier")).isEmpty();
            listed.add(dependency.text("artifactId"));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(PUBLISHED.keySet());

        Set<String> published = modules().stream().filter(m -> m.pom.text("/project/properties/wsrv.unpublished")
                .equals("false")).map(Module::artifactId).collect(Collectors.toSet());
        assertThat(published).as("the modules that set wsrv.unpublished to false").isEqualTo(PUBLISHED.keySet());
    }

    @Test
    void everyPomCarriesTheProjectsMetadata() {
        assertThat(ROOT.text("/project/url")).startsWith("https://");
        assertThat(ROOT.text("/project/licenses/license/name")).isEqualTo("Apache-2.0");
        assertThat(ROOT.text("/project/licenses/license/url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        assertThat(ROOT.text("/project/developers/developer/name")).isNotEmpty();
        for (String scm : List.of("url", "connection", "developerConnection")) {
            assertThat(ROOT.text("/project/scm/" + scm)).as("scm " + scm).isNotEmpty();
            assertThat(ROOT.text("/project/scm/@child.scm." + scm + ".inherit.append.path"))
                    .as("modules inherit the scm %s as it is", scm).isEqualTo("false");
        }
        assertThat(ROOT.text("/project/@child.project.url.inherit.append.path")).isEqualTo("false");
        assertThat(Pom.ROOT.resolve("LICENSE")).content().startsWith("\n                                 Apache License\n"
                + "                           Version 2.0, January 2004\n");

        Pom bom = Pom.read(Pom.ROOT.resolve("bom/pom.xml"));
        for (String element : List.of("url", "licenses", "developers", "scm")) {
            assertThat(bom.text("/project/" + element)).as("the BOM's " + element).isEqualTo(ROOT.text("/project/" + element));
        }
        for (Module m : modules()) {
            assertThat(m.pom.text("/project/name")).as(m.dir + " name").isNotEmpty();
            assertThat(m.pom.text("/project/description")).as(m.dir + " description").isNotEmpty();
            if (m.dir.equals("bom")) {
                continue;
            }
            for (String inherited : List.of("url", "licenses", "developers", "scm")) {
                assertThat(m.pom.text("/project/" + inherited)).as(m.dir + " inherits " + inherited).isEmpty();
            }
        }
    }

    @Test
    void everyJarNamesItsModule() throws IOException {
        for (Module m : modules()) {
            if (NOT_CHECKED.contains(m.dir)) {
                continue;
            }
            List<Path> jars = m.mainJars();
            assertThat(jars).as("the jars of %s (build it first: mvn package)", m.dir).isNotEmpty();
            for (Path jar : jars) {
                String expected = "dev." + m.artifactId().replace('-', '.');
                assertThat(moduleOf(jar).name()).as(jar.toString()).isEqualTo(expected);
                if (PUBLISHED.containsKey(m.artifactId())) {
                    assertThat(expected).isEqualTo(PUBLISHED.get(m.artifactId()));
                }
                try (JarFile j = new JarFile(jar.toFile())) {
                    assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                            .as(jar.toString()).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void publishedModulesShareNoPackage() {
        Map<String, String> owner = new HashMap<>();
        for (Module m : published()) {
            for (String p : moduleOf(m.mainJar()).packages()) {
                assertThat(owner.put(p, m.artifactId())).as("package %s in %s and %s", p, owner.get(p), m.artifactId())
                        .isNull();
            }
        }
    }

    @Test
    void publishedModulesHaveSourcesJarsAndTheOthersNone() throws IOException {
        for (Module m : modules()) {
            Path sources = m.target().resolve(m.artifactId() + "-" + VERSION + "-sources.jar");
            if (!PUBLISHED.containsKey(m.artifactId())) {
                assertThat(sources).as("unpublished").doesNotExist();
                continue;
            }
            assertThat(sources).exists();
            Set<String> sourceDirs = entries(sources, ".java");
            Set<String> classDirs = entries(m.mainJar(), ".class");
            assertThat(classDirs).isNotEmpty();
            assertThat(sourceDirs).as("packages with sources in " + sources).containsAll(classDirs);
        }
    }

    @Test
    void releaseBuildsHaveJavadocJars() throws IOException {
        assumeTrue(Boolean.getBoolean("wsrv.release"), "javadoc jars are built with -Prelease");
        for (Module m : published()) {
            Path javadoc = m.target().resolve(m.artifactId() + "-" + VERSION + "-javadoc.jar");
            assertThat(javadoc).exists();
            try (JarFile j = new JarFile(javadoc.toFile())) {
                assertThat(j.getEntry("index.html")).as("index.html in " + javadoc).isNotNull();
            }
            assertThat(entries(javadoc, ".html")).as("the pages of " + javadoc).anyMatch(d -> d.startsWith("dev/wsrv"));
        }
    }

    @Test
    void theReadmeGivesTheBuildsCoordinates() throws IOException {
        String readme = Files.readString(Pom.ROOT.resolve("README.md"));
        int at = readme.indexOf("\n## Use it in your project\n");
        assertThat(at).as("the section").isPositive().isLessThan(readme.indexOf("\n## The protocol in brief\n"));
        String section = readme.substring(at, readme.indexOf("\n## ", at + 1));
        assertThat(section).contains("mvn -B install -DskipTests\n", "<artifactId>wsrv-bom</artifactId>\n      <version>"
                + VERSION + "</version>", "<scope>import</scope>", "wsrv-client-" + VERSION + ".tgz");
        for (Map.Entry<String, String> p : PUBLISHED.entrySet()) {
            assertThat(section).contains("`" + p.getValue() + "`").containsPattern("(<artifactId>|`)" + p.getKey() + "(</|`)");
        }
        assertThat(versionsIn(readme)).as("versions in the README").isNotEmpty().allSatisfy((artifact, version) ->
                assertThat(version).as("the version of %s in the README", artifact).isEqualTo(expectedVersion(artifact)));
    }

    @Test
    void theExampleProjectUsesTheseVersions() throws IOException {
        String pom = Files.readString(Pom.ROOT.resolve("examples/chat/pom.xml"));
        assertThat(versionsIn(pom)).containsKeys("wsrv-bom", "maven-surefire-plugin").allSatisfy((artifact, version) -> {
            if (artifact.startsWith("wsrv-") || artifact.startsWith("maven-")) {
                assertThat(version).as(artifact).isEqualTo(expectedVersion(artifact));
            }
        });
        assertThat(pom).doesNotContain("<parent>");
    }

    /** Every version of a text, by the artifactId before it (the project's for a version without one). */
    private static Map<String, String> versionsIn(String text) {
        Map<String, String> found = new HashMap<>();
        Matcher versions = Pattern.compile("(?:<artifactId>([^<]*)</artifactId>[^<\\n]*(?:<!--[^>]*-->)?\\s*)?"
                + "<version>([^<]*)</version>").matcher(text);
        int n = 0;
        while (versions.find()) {
            found.put(versions.group(1) == null ? "(none " + n++ + ")" : versions.group(1), versions.group(2));
        }
        return found;
    }

    /** The build's own version of a plugin it manages, else the project's version. */
    private static String expectedVersion(String artifactId) {
        for (Pom plugin : ROOT.all("/project/build/pluginManagement/plugins/plugin")) {
            if (plugin.text("artifactId").equals(artifactId)) {
                String v = plugin.text("version");
                return v.startsWith("${") ? ROOT.text("/project/properties/" + v.substring(2, v.length() - 1)) : v;
            }
        }
        return VERSION;
    }

    /** The folders holding entries that end with a suffix, {@code ""} for the jar's root. */
    private static Set<String> entries(Path jar, String suffix) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(e -> e.getName()).filter(n -> n.endsWith(suffix) && !n.startsWith("META-INF/")
                            && !n.endsWith("module-info.class"))
                    .map(n -> n.contains("/") ? n.substring(0, n.lastIndexOf('/')) : "")
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The jar as the module system sees it on the module path (this also checks its services and packages). */
    private static ModuleDescriptor moduleOf(Path jar) {
        Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
        assertThat(found).as(jar.toString()).hasSize(1);
        ModuleDescriptor d = found.iterator().next().descriptor();
        assertThat(d.isAutomatic()).as(jar + " is an automatic module").isTrue();
        return d;
    }

    private static List<Module> published() {
        return modules().stream().filter(m -> PUBLISHED.containsKey(m.artifactId())).toList();
    }

    /** The reactor's modules, as the root POM lists them (not those of profiles). */
    static List<Module> modules() {
        return ROOT.all("/project/modules/module").stream()
                .map(m -> new Module(m.text("."), Pom.read(Pom.ROOT.resolve(m.text(".")).resolve("pom.xml"))))
                .toList();
    }

    /** One module of the reactor: its folder and its POM. */
    record Module(String dir, Pom pom) {

        String artifactId() {
            return pom.text("/project/artifactId");
        }

        Path target() {
            return Pom.ROOT.resolve(dir).resolve("target");
        }

        /** The jar of a jar module; the classes jar of a WAR module. */
        Path mainJar() {
            List<Path> jars = mainJars();
            assertThat(jars).as("the main jar of " + dir).hasSize(1);
            return jars.get(0);
        }

        List<Path> mainJars() {
            if (!Files.isDirectory(target())) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(target())) {
                return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                        .filter(f -> !f.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
