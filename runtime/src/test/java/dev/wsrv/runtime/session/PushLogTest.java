package dev.wsrv.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The numbered log of one resumable session: numbering, replay after a given push, and its bounds. */
class PushLogTest {

    private final FakeSession first = new FakeSession();
    private final FakeSession second = new FakeSession();
    private final AtomicLong node = new AtomicLong();

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    private static PushEnvelope push(int i) {
        return PushEnvelope.of("{\"cmd\":\"p\",\"seqno\":\"abcdefghij-" + i + "\",\"status\":0,\"msg\":\"ok\","
                + "\"data\":{\"i\":" + i + "}}");
    }

    @SuppressWarnings("unchecked")
    private static PushLog.Outcome append(PushLog log, int i) {
        return log.append(push(i), new CompletableFuture[1]);
    }

    private static SessionSender sender(FakeSession s) {
        return new SessionSender(s.session, "id", 1024, 1 << 22);
    }

    @Test
    void anEnvelopeTakesEachSessionsNumberInPlaceOfItsSeqno() {
        PushEnvelope e = PushEnvelope.of("{\"cmd\":\"a\\\",\\\"seqno\\\":\\\"x\",\"seqno\":\"P-1\",\"status\":0,"
                + "\"msg\":\"ok\",\"data\":{\"seqno\":\"P-1\"}}");
        assertThat(e.with("Q", 36)).isEqualTo("{\"cmd\":\"a\\\",\\\"seqno\\\":\\\"x\",\"seqno\":\"Q-10\",\"status\":0,"
                + "\"msg\":\"ok\",\"data\":{\"seqno\":\"P-1\"}}");
        assertThat(PushEnvelope.of("{\"seqno\":\"P-1\",\"cmd\":\"a\"}")).isNull();
    }

    @Test
    void aResumeGetsEveryPushAfterTheLastOneInOrderThenLivePushes() {
        PushLog log = new PushLog("pppppppppp", 100, 1 << 20, node, 1 << 26);
        assertThat(log.attach(sender(first), false, 0, n -> "session " + n)).isZero();
        assertThat(append(log, 1)).isEqualTo(PushLog.Outcome.SENT);
        log.detach();
        assertThat(append(log, 2)).isEqualTo(PushLog.Outcome.BUFFERED);
        assertThat(append(log, 3)).isEqualTo(PushLog.Outcome.BUFFERED);
        assertThat(log.attach(sender(second), false, 1, n -> "session " + n)).isEqualTo(2);
        append(log, 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.sent.size() == 4);
        assertThat(second.sent).containsExactly("session 2",
                push(2).with("pppppppppp", 2), push(3).with("pppppppppp", 3), push(4).with("pppppppppp", 4));
        assertThat(log.number("pppppppppp-a")).isEqualTo(10);
        assertThat(log.number("other-1")).isZero();
    }

    @Test
    void anAttachedSessionKeepsOnlyItsLatestPushesAndAResumeBeforeThemFails() {
        PushLog log = new PushLog("pppppppppp", 3, 1 << 20, node, 1 << 26);
        log.attach(sender(first), false, 0, n -> "s");
        for (int i = 1; i <= 10; i++) {
            assertThat(append(log, i)).isEqualTo(PushLog.Outcome.SENT);
        }
        log.detach();
        assertThat(log.attach(sender(second), false, 6, n -> "s")).isEqualTo(PushLog.EVICTED);
        assertThat(log.attach(sender(second), false, 7, n -> "s")).isEqualTo(3);
    }

    @Test
    void aDetachedSessionPastItsBoundEndsAndGivesItsBytesBack() {
        PushLog log = new PushLog("pppppppppp", 2, 1 << 20, node, 1 << 26);
        log.attach(sender(first), false, 0, n -> "s");
        log.detach();
        assertThat(append(log, 1)).isEqualTo(PushLog.Outcome.BUFFERED);
        assertThat(append(log, 2)).isEqualTo(PushLog.Outcome.BUFFERED);
        assertThat(node.get()).isPositive();
        assertThat(append(log, 3)).isEqualTo(PushLog.Outcome.FULL);
        assertThat(node.get()).isZero();
        assertThat(append(log, 4)).isEqualTo(PushLog.Outcome.ENDED);
        assertThat(log.attach(sender(second), false, 0, n -> "s")).isEqualTo(PushLog.GONE);
    }

    @Test
    void theNodeWideBoundEndsADetachedSessionAndTrimsAnAttachedOnesHistory() {
        long weight = push(1).weight();
        PushLog attached = new PushLog("aaaaaaaaaa", 100, 1 << 20, node, 3 * weight);
        PushLog detached = new PushLog("dddddddddd", 100, 1 << 20, node, 3 * weight);
        attached.attach(sender(first), false, 0, n -> "s");
        detached.attach(sender(second), false, 0, n -> "s");
        detached.detach();
        append(attached, 1);
        append(attached, 2);
        assertThat(append(detached, 1)).isEqualTo(PushLog.Outcome.BUFFERED);
        assertThat(append(attached, 3)).isEqualTo(PushLog.Outcome.SENT);
        assertThat(node.get()).isEqualTo(3 * weight);
        // the attached session made room from its own history; the detached one cannot take another's
        assertThat(append(detached, 2)).isEqualTo(PushLog.Outcome.FULL);
        assertThat(node.get()).isEqualTo(2 * weight);
    }
}
