package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PendingTicketsTest {

    static final long GRACE = 30_000_000_000L;

    final AtomicLong clock = new AtomicLong(1_000);
    final ConnectionLimiter limiter = new ConnectionLimiter(0, 2);
    final PendingTickets pending = new PendingTickets(GRACE, clock::get);

    AdmissionTicket admit() {
        assertThat(limiter.acquire("a")).isNull();
        AdmissionTicket a = new AdmissionTicket(null, Map.of(), "a", limiter, pending, null);
        pending.add(a);
        return a;
    }

    @Test
    void anUpgradeWhoseSessionNeverOpensGivesItsSlotBackAfterTheGracePeriod() {
        AdmissionTicket lost = admit();
        admit().open();
        assertThat(limiter.acquire("a")).isEqualTo(ConnectionLimiter.Refusal.PER_ADDRESS);

        clock.addAndGet(GRACE - 1);
        assertThat(pending.sweep()).isZero();
        assertThat(limiter.open()).isEqualTo(2);

        clock.addAndGet(1);
        assertThat(pending.sweep()).isEqualTo(1);
        assertThat(limiter.open()).isEqualTo(1);
        assertThat(pending.size()).isZero();
        // the session that comes after all may not open, and its close gives nothing back twice
        assertThat(lost.open()).isFalse();
        lost.release();
        assertThat(limiter.open()).isEqualTo(1);
        assertThat(limiter.acquire("a")).isNull();
    }

    @Test
    void aSessionOpeningPastTheGraceIsRefusedAndGivesItsSlotBackWithoutASweep() {
        AdmissionTicket late = admit();
        AdmissionTicket onTime = admit();
        clock.addAndGet(GRACE - 1);
        assertThat(onTime.open()).isTrue();
        clock.addAndGet(1);
        assertThat(late.open()).isFalse();
        assertThat(limiter.open()).isEqualTo(1);
        late.release();
        assertThat(limiter.open()).isEqualTo(1);
        assertThat(pending.sweep()).isZero();
    }

    @Test
    void openSessionsKeepTheirSlotAndLeaveTheListWithoutCost() {
        AdmissionTicket a = admit();
        AdmissionTicket b = admit();
        assertThat(a.open()).isTrue();
        assertThat(b.open()).isTrue();
        clock.addAndGet(GRACE * 2);
        assertThat(pending.sweep()).isZero();
        assertThat(pending.size()).isZero();
        assertThat(limiter.open()).isEqualTo(2);
        a.release();
        a.release();
        assertThat(limiter.open()).isEqualTo(1);
    }

    @Test
    void aYoungPendingAdmissionStopsTheSweepSoLaterOnesWait() {
        AdmissionTicket old = admit();
        clock.addAndGet(GRACE / 2);
        AdmissionTicket young = admit();
        clock.addAndGet(GRACE / 2);
        assertThat(pending.sweep()).isEqualTo(1);
        assertThat(old.open()).isFalse();
        assertThat(young.open()).isTrue();
        assertThat(limiter.open()).isEqualTo(1);
    }
}
