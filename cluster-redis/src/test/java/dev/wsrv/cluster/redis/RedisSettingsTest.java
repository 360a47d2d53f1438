package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Settings;
import dev.wsrv.it.support.ReadmeTable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Redis settings are declared once: the README's table and the defaults come from the declarations. */
class RedisSettingsTest {

    @Test
    void readmeTableIsTheOneTheDeclarationsGive() throws IOException {
        ReadmeTable.check("redis settings", Settings.markdownTable(RedisSettings.class));
    }

    @Test
    void defaultsAndBounds() {
        RedisSettings d = Settings.defaults(RedisSettings.class);
        assertThat(d).isEqualTo(new RedisSettings("", "wsrv:push", 10_000, Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5)));
        Map<String, String> set = Map.of(RedisCluster.STREAM_MAX_LEN_KEY, "999");
        assertThatThrownBy(() -> Settings.read(RedisSettings.class, set::get))
                .hasMessage("wsrv.redis.streamMaxLen must be at least 1000: 999");
        assertThatThrownBy(() -> Settings.read(RedisSettings.class,
                k -> k.equals(RedisCluster.TIMEOUT_KEY) ? "0" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(RedisCluster.TIMEOUT_KEY);
        assertThatThrownBy(() -> Settings.read(RedisSettings.class,
                k -> k.equals(RedisCluster.NODE_TTL_KEY) ? "1999" : null))
                .hasMessage("wsrv.redis.nodeTtlMs must be at least 2000 ms: 1999");
    }
}
