package dev.wsrv.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Settings;
import dev.wsrv.it.support.ReadmeTable;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AsyncApiConfigTest {

    @Test
    void theDocumentIsOffByDefaultAndReadsTrueOrFalseInAnyCase() {
        assertThat(Settings.read(AsyncApiConfig.class, key -> null))
                .isEqualTo(new AsyncApiConfig(false, "wsrv application", "1.0.0"));
        Map<String, String> set = Map.of("wsrv.asyncapi.enabled", "TRUE", "wsrv.asyncapi.title", "Shop",
                "wsrv.asyncapi.version", "3");
        assertThat(Settings.read(AsyncApiConfig.class, set::get)).isEqualTo(new AsyncApiConfig(true, "Shop", "3"));
        assertThatThrownBy(() -> Settings.read(AsyncApiConfig.class, key -> key.endsWith("enabled") ? "yes" : null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wsrv.asyncapi.enabled is not true or false: yes");
    }

    /** The README's table is the one the declarations give; {@code -Dwsrv.writeReadme=true} rewrites it. */
    @Test
    void readmeTableIsTheOneTheDeclarationsGive() throws IOException {
        ReadmeTable.check("asyncapi settings", Settings.markdownTable(AsyncApiConfig.class));
    }

    @Test
    void theDocumentSitsNextToTheEndpoint() {
        assertThat(AsyncApiConfig.documentPath("/ws")).isEqualTo("/ws/asyncapi.json");
        assertThat(AsyncApiConfig.documentPath("/api/ws/")).isEqualTo("/api/ws/asyncapi.json");
    }
}
