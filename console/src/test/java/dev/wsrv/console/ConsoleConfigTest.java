package dev.wsrv.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Settings;
import dev.wsrv.it.support.ReadmeTable;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {

    @Test
    void theConsoleIsOffAndLoopbackOnlyByDefault() {
        assertThat(Settings.read(ConsoleConfig.class, key -> null))
                .isEqualTo(new ConsoleConfig(false, "/console", false));
        Map<String, String> set = Map.of("wsrv.console.enabled", "true", "wsrv.console.path", "/ops/console",
                "wsrv.console.exposed", "TRUE");
        assertThat(Settings.read(ConsoleConfig.class, set::get)).isEqualTo(new ConsoleConfig(true, "/ops/console", true));
    }

    @Test
    void aPathMustBeOneOrMoreSegmentsWithoutATrailingSlash() {
        for (String bad : new String[] {"console", "/", "/console/", "/a b", "/../x/", "/../x", "/ops/.", "/%2e"}) {
            assertThatThrownBy(() -> new ConsoleConfig(false, bad, false)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The README's table is the one the declarations give; {@code -Dwsrv.writeReadme=true} rewrites it. */
    @Test
    void readmeTableIsTheOneTheDeclarationsGive() throws IOException {
        ReadmeTable.check("console settings", Settings.markdownTable(ConsoleConfig.class));
    }
}
