package dev.wsrv.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The numbers per second, on a clock the test moves. */
class ConsoleStatsTest {

    private static final long T0 = 1_800_000_000_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final AtomicInteger open = new AtomicInteger();
    private final ConsoleStats stats = new ConsoleStats(now::get);

    private static RequestDone done(String cmd, int status, long micros) {
        return new RequestDone("s1", null, null, cmd, true, status, micros * 1000);
    }

    @Test
    void eachSecondHasItsRequestsErrorsSessionsAndP99() {
        stats.started(new RuntimeView() {
            @Override
            public int sessions() {
                return open.get();
            }

            @Override
            public long queuedMessages() {
                return 0;
            }

            @Override
            public long queuedBytes() {
                return 0;
            }
        });
        open.set(1);
        stats.sessionOpened("s1");
        for (int i = 0; i < 99; i++) {
            stats.requestDone(done("echo", 0, 1000));
        }
        stats.requestDone(done("echo", 500, 50_000));
        stats.requestDone(done("echo", 429, 0));
        now.addAndGet(2000);
        open.set(2);
        stats.sessionOpened("s2");
        stats.requestDone(done("echo", 0, 3));

        JsonObject series = stats.snapshot().getJsonObject("series");
        int last = ConsoleStats.WINDOW_SECONDS - 1;
        assertThat(series.getJsonNumber("from").longValue()).isEqualTo(T0 + 2000 - last * 1000L);
        JsonArray requests = series.getJsonArray("requests");
        assertThat(requests.getInt(last - 2)).isEqualTo(101);
        assertThat(requests.getInt(last - 1)).isZero();
        assertThat(requests.getInt(last)).isEqualTo(1);
        assertThat(series.getJsonArray("errors").getInt(last - 2)).isEqualTo(1);
        JsonArray sessions = series.getJsonArray("sessions");
        assertThat(sessions.get(last - 3)).as("before the start").isEqualTo(JsonValue.NULL);
        assertThat(sessions.getInt(last - 2)).isEqualTo(1);
        assertThat(sessions.getInt(last - 1)).isEqualTo(1);
        assertThat(sessions.getInt(last)).isEqualTo(2);
        JsonArray p99 = series.getJsonObject("p99Ms").getJsonArray("echo");
        // 99 of 100 timed requests took 1 ms: the p99 is the top of the bucket of 1,000 µs (1,024 µs)
        assertThat(p99.getJsonNumber(last - 2).doubleValue()).isEqualTo(1.024);
        assertThat(p99.get(last - 1)).isEqualTo(JsonValue.NULL);
        assertThat(p99.getJsonNumber(last).doubleValue()).isEqualTo(0.004);
    }

    @Test
    void fromFourMicrosecondsABucketsTopIsAboveItsValuesAndAtMostAQuarterAbove() {
        for (long micros = 1; micros < 40_000_000; micros += 1 + micros / 7) {
            double top = LatencyHistogram.upperMillis(LatencyHistogram.bucket(micros * 1000)) * 1000;
            if (micros >= 4 && micros < (1L << 25)) {
                assertThat(top).as("%d µs", micros).isGreaterThan(micros).isLessThanOrEqualTo(micros * 1.25 + 1);
            }
        }
    }

    @Test
    void aSecondThatCameRoundAgainStartsFromNothing() {
        stats.requestDone(done("echo", 0, 10));
        now.addAndGet(ConsoleStats.WINDOW_SECONDS * 1000L);
        stats.requestDone(done("echo", 0, 10));
        JsonArray requests = stats.snapshot().getJsonObject("series").getJsonArray("requests");
        assertThat(requests.getInt(ConsoleStats.WINDOW_SECONDS - 1)).isEqualTo(1);
        assertThat(stats.snapshot().getJsonObject("totals").getJsonNumber("requests").longValue()).isEqualTo(2);
    }
}
