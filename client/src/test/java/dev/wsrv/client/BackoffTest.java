package dev.wsrv.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The delays between reconnect attempts: exponential, capped, and spread by jitter without going past the cap. */
class BackoffTest {

    static final ReconnectOptions OPTIONS = ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(100))
            .withMaxDelay(Duration.ofMillis(1000)).withFactor(3).withJitter(0.25);

    static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    @Test
    void theDelayGrowsByTheFactorUpToTheMaximum() {
        Backoff b = new Backoff(OPTIONS.withJitter(0), () -> 0.7);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(ms(b.nextDelayNanos()));
        }
        assertThat(delays).containsExactly(100L, 300L, 900L, 1000L, 1000L, 1000L);
        assertThat(b.attempts()).isEqualTo(6);
        b.reset();
        assertThat(ms(b.nextDelayNanos())).isEqualTo(100);
    }

    @Test
    void jitterTakesOffUpToItsFractionAndNeverAdds() {
        assertThat(List.of(0, 1, 2, 3).stream().map(n -> ms(Backoff.delayNanos(OPTIONS, n, 0)))).containsExactly(
                100L, 300L, 900L, 1000L);
        assertThat(List.of(0, 1, 2, 3).stream().map(n -> ms(Backoff.delayNanos(OPTIONS, n, 0.999999))))
                .containsExactly(75L, 225L, 675L, 750L);
        assertThat(ms(Backoff.delayNanos(OPTIONS.withJitter(1), 0, 0.5))).isEqualTo(50);
    }

    @Test
    void tenThousandClientsThatLostTheirServerTogetherComeBackSpreadOutAndWithinTheBackoff() {
        // the random source the client uses; the defaults: 500 ms less up to half
        List<Long> first = new ArrayList<>();
        for (int client = 0; client < 10_000; client++) {
            first.add(new Backoff(ReconnectOptions.DEFAULTS, () -> ThreadLocalRandom.current().nextDouble())
                    .nextDelayNanos());
        }
        long low = Duration.ofMillis(250).toNanos();
        long high = Duration.ofMillis(500).toNanos();
        assertThat(first).allSatisfy(d -> assertThat(d).isBetween(low, high));
        // spread over the whole range: every tenth of it gets some of them, none gets most
        int[] tenths = new int[10];
        first.forEach(d -> tenths[(int) Math.min(9, (d - low) * 10 / (high - low))]++);
        assertThat(java.util.Arrays.stream(tenths).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(500, 1500));
        assertThat(new HashSet<>(first)).hasSizeGreaterThan(9_000);
    }

    @Test
    void afterMaxAttemptsTheBackoffIsExhausted() {
        Backoff b = new Backoff(OPTIONS.withMaxAttempts(2), () -> 0);
        assertThat(b.exhausted()).isFalse();
        b.nextDelayNanos();
        b.nextDelayNanos();
        assertThat(b.exhausted()).isTrue();
        b.reset();
        assertThat(b.exhausted()).isFalse();
        Backoff forever = new Backoff(OPTIONS, () -> 0);
        for (int i = 0; i < 1000; i++) {
            forever.nextDelayNanos();
        }
        assertThat(forever.exhausted()).isFalse();
        assertThat(ms(forever.nextDelayNanos())).isEqualTo(1000);
    }
}
