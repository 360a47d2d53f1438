package dev.wsrv.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleSweeperTest {

    @Test
    void theSweeperLooksEveryTenthOfTheTimeoutAndClosesTwoPeriodsAheadOfIt() {
        assertThat(IdleSweeper.period(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(IdleSweeper.lead(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(2));
        assertThat(IdleSweeper.period(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(400));
        assertThat(IdleSweeper.lead(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(800));
        assertThat(IdleSweeper.period(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(50));
        assertThat(IdleSweeper.lead(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aShortTimeoutKeepsAtLeastHalfOfItself() {
        assertThat(IdleSweeper.period(Duration.ofMillis(120))).isEqualTo(Duration.ofMillis(50));
        assertThat(IdleSweeper.lead(Duration.ofMillis(120))).isEqualTo(Duration.ofMillis(60));
    }
}
