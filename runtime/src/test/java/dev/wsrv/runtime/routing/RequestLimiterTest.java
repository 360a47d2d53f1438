package dev.wsrv.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.WsrvConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {

    /** A clock that moves only when told; starts at an arbitrary, negative value as nanoTime may. */
    static final class Clock {
        long now = -123_456_789_000L;

        void advance(long nanos) {
            now += nanos;
        }
    }

    final Clock clock = new Clock();

    RequestLimiter limiter(int perSecond, int burst, int violations) {
        return new RequestLimiter(WsrvConfig.Limits.DEFAULTS.with("wsrv.limits.requestsPerSecond", perSecond)
                .with("wsrv.limits.requestBurst", burst)
                .with("wsrv.limits.violationsBeforeClose", violations), clock.now);
    }

    int takeAll(RequestLimiter l) {
        int n = 0;
        while (l.tryAcquire(clock.now)) {
            n++;
            if (n > 10_000_000) {
                throw new AssertionError("bucket never empties");
            }
        }
        return n;
    }

    @Test
    void theBucketStartsFullAndHoldsTheBurst() {
        RequestLimiter l = limiter(2, 5, 0);
        assertThat(takeAll(l)).isEqualTo(5);
        assertThat(l.tryAcquire(clock.now)).isFalse();
    }

    @Test
    void itRefillsAtTheRateExactlyToTheNanosecond() {
        RequestLimiter l = limiter(2, 5, 0);
        takeAll(l);
        clock.advance(499_999_999);
        assertThat(l.tryAcquire(clock.now)).isFalse();
        clock.advance(1);
        assertThat(l.tryAcquire(clock.now)).isTrue();
        assertThat(l.tryAcquire(clock.now)).isFalse();
        clock.advance(TimeUnit.SECONDS.toNanos(1));
        assertThat(takeAll(l)).isEqualTo(2);
    }

    @Test
    void fractionsOfATokenAccumulateWithoutDrift() {
        // 3 per second: a token every 333,333,333.3 ns; a bucket large enough never to cap the refill here
        RequestLimiter l = limiter(3, 10, 0);
        takeAll(l);
        int got = 0;
        for (int i = 0; i < 3_000; i++) {
            clock.advance(1_000_000); // 1 ms steps for 3 s
            if (l.tryAcquire(clock.now)) {
                got++;
            }
        }
        assertThat(got).isEqualTo(9);
        clock.advance(333_333_332);
        assertThat(l.tryAcquire(clock.now)).isFalse();
        clock.advance(2);
        assertThat(l.tryAcquire(clock.now)).isTrue();
    }

    @Test
    void aLongPauseFillsTheBucketButNotBeyondTheBurst() {
        RequestLimiter l = limiter(500, 1000, 0);
        takeAll(l);
        clock.advance(TimeUnit.DAYS.toNanos(400));
        assertThat(takeAll(l)).isEqualTo(1000);
    }

    @Test
    void theLargestSettingsDoNotOverflow() {
        RequestLimiter l = limiter(Integer.MAX_VALUE, Integer.MAX_VALUE, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(l.tryAcquire(clock.now)).isTrue();
        }
        clock.advance(Long.MAX_VALUE / 2);
        assertThat(l.tryAcquire(clock.now)).isTrue();
        RequestLimiter slow = limiter(1, Integer.MAX_VALUE, 0);
        clock.advance(Long.MAX_VALUE / 4);
        assertThat(slow.tryAcquire(clock.now)).isTrue();
    }

    @Test
    void zeroRateOrZeroBurstIsNoLimit() {
        for (RequestLimiter l : new RequestLimiter[] {limiter(0, 10, 5), limiter(10, 0, 5), limiter(0, 0, 0)}) {
            for (int i = 0; i < 100_000; i++) {
                assertThat(l.tryAcquire(clock.now)).isTrue();
            }
        }
    }

    @Test
    void theNthViolationWithinTheWindowAsksForTheClose() {
        RequestLimiter l = limiter(1, 1, 3);
        assertThat(l.violation(clock.now)).isFalse();
        assertThat(l.violation(clock.now)).isFalse();
        assertThat(l.closing()).isFalse();
        assertThat(l.violation(clock.now)).isTrue();
        assertThat(l.closing()).isTrue();
        // asked once only
        assertThat(l.violation(clock.now)).isFalse();
        assertThat(l.closing()).isTrue();
    }

    @Test
    void violationsInAnEndedWindowDoNotCount() {
        RequestLimiter l = limiter(1, 1, 3);
        assertThat(l.violation(clock.now)).isFalse();
        clock.advance(RequestLimiter.VIOLATION_WINDOW_NANOS - 1);
        assertThat(l.violation(clock.now)).isFalse();
        clock.advance(1);
        // the window has ended: this one opens a new one
        assertThat(l.violation(clock.now)).isFalse();
        clock.advance(RequestLimiter.VIOLATION_WINDOW_NANOS - 1);
        assertThat(l.violation(clock.now)).isFalse();
        assertThat(l.violation(clock.now)).isTrue();
    }

    @Test
    void zeroViolationsNeverCloses() {
        RequestLimiter l = limiter(1, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(l.violation(clock.now)).isFalse();
        }
        assertThat(l.closing()).isFalse();
    }

    @Test
    void asyncInFlightIsBounded() {
        RequestLimiter l = new RequestLimiter(WsrvConfig.Limits.DEFAULTS
                .with("wsrv.limits.asyncInFlight", 2), clock.now);
        assertThat(l.asyncFull()).isFalse();
        l.asyncStarted();
        assertThat(l.asyncFull()).isFalse();
        l.asyncStarted();
        assertThat(l.asyncFull()).isTrue();
        assertThat(l.inFlight()).isEqualTo(2);
        l.asyncDone();
        assertThat(l.asyncFull()).isFalse();
        RequestLimiter unlimited = new RequestLimiter(WsrvConfig.Limits.NONE, clock.now);
        for (int i = 0; i < 1000; i++) {
            unlimited.asyncStarted();
        }
        assertThat(unlimited.asyncFull()).isFalse();
    }

    @Test
    void eachKindIsWarnedOnce() {
        RequestLimiter l = limiter(1, 1, 0);
        for (RequestLimiter.Kind k : RequestLimiter.Kind.values()) {
            assertThat(l.firstTime(k)).as(k.name()).isTrue();
            assertThat(l.firstTime(k)).as(k.name()).isFalse();
        }
    }
}
