package dev.wsrv.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.CloseCodes;
import dev.wsrv.it.support.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionSenderTest {

    @Test
    void concurrentSendersNeverOverlapLoseNothingAndKeepEachThreadsOrder() throws Exception {
        try (FakeSession fake = new FakeSession()) {
            SessionSender sender = new SessionSender(fake.session, "s1", 1_000_000, Long.MAX_VALUE);
            int threads = 8;
            int each = 5_000;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        all.add(sender.send(id + ":" + i, false));
                    }
                });
                w.start();
                workers.add(w);
            }
            go.countDown();
            for (Thread w : workers) {
                w.join(20_000);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(fake.overlaps.get()).isZero();
            assertThat(fake.sent).hasSize(threads * each);
            Map<Integer, Integer> last = new HashMap<>();
            for (String s : fake.sent) {
                int t = Integer.parseInt(s.substring(0, s.indexOf(':')));
                int i = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                assertThat(i).as("order of thread %d", t).isEqualTo(last.getOrDefault(t, -1) + 1);
                last.put(t, i);
            }
        }
    }

    @Test
    void aFullQueueClosesTheSessionOnceAsASlowConsumer() throws Exception {
        try (FakeSession fake = new FakeSession()) {
            fake.stalled = true;
            SessionSender sender = new SessionSender(fake.session, "slow", 3, Long.MAX_VALUE);
            CompletableFuture<Void> inFlight = sender.send("0", false);
            List<CompletableFuture<Void>> queued = List.of(sender.send("1", false), sender.send("2", false),
                    sender.send("3", false));
            CompletableFuture<Void> overflow = sender.send("4", false);
            sender.send("5", false);

            assertThat(overflow).isCompletedExceptionally();
            // the close runs off the caller's thread, so that closed-event observers never delay a pusher
            waitFor(() -> fake.closes.size() == 1);
            assertThat(fake.closes).hasSize(1);
            assertThat(fake.closes.get(0).getCloseCode().getCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(fake.closes.get(0).getReasonPhrase()).isEqualTo("slow consumer");
            assertThat(queued).allMatch(CompletableFuture::isCompletedExceptionally);
            // a write the client never reads may never complete: it fails with the close too
            assertThat(inFlight).isCompletedExceptionally();
            assertThat(sender.isClosed()).isTrue();
        }
    }

    @Test
    void theByteBoundCountsToo() throws Exception {
        try (FakeSession fake = new FakeSession()) {
            fake.stalled = true;
            SessionSender sender = new SessionSender(fake.session, "big", 1000, 100);
            sender.send("in flight", false);
            assertThat(sender.send("x".repeat(40), false)).isNotDone();
            CompletableFuture<Void> tooMuch = sender.send("y".repeat(40), false);
            ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> tooMuch.get(1, TimeUnit.SECONDS), ExecutionException.class);
            assertThat(e.getCause()).hasMessageContaining("slow consumer");
            waitFor(() -> fake.closes.size() == 1);
        }
    }

    @Test
    void sendingAfterCloseFailsWithoutTouchingTheSession() throws Exception {
        try (FakeSession fake = new FakeSession()) {
            SessionSender sender = new SessionSender(fake.session, "c", 10, 1000);
            sender.close(1001, "bye");
            sender.close(1001, "again");
            assertThat(sender.send("late", false)).isCompletedExceptionally();
            assertThat(fake.sent).isEmpty();
            assertThat(fake.closes).hasSize(1);
        }
    }

    @Test
    void aMessageTheContainerCannotSendFailsAloneAndTheNextOnesGoOut() throws Exception {
        try (FakeSession fake = new FakeSession(); LogCapture log = LogCapture.of(SessionSender.class.getName())) {
            fake.poisoned = text -> text.startsWith("bad");
            SessionSender sender = new SessionSender(fake.session, "poisoned", 100, Long.MAX_VALUE);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(sender.send((i % 4 == 1 ? "bad" : "good") + i, false));
            }
            CompletableFuture.allOf(sent.stream().map(f -> f.exceptionally(e -> null))
                    .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                assertThat(sent.get(i).isCompletedExceptionally()).as("message %d failed", i).isEqualTo(i % 4 == 1);
            }
            assertThat(fake.sent).hasSize(15).allMatch(t -> t.startsWith("good"));
            assertThat(fake.closes).isEmpty();
            assertThat(sender.send("after", false)).succeedsWithin(Duration.ofSeconds(10));
            // one line for the session and this kind of failure, without a stack trace
            assertThat(log.records()).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getThrown()).isNull();
                assertThat(r.getMessage()).contains("poisoned", "java.lang.Error").doesNotContain("\n");
            });
        }
    }

    @Test
    void repliesKeepTheirPlaceAmongMessagesAndOneThatCannotBeSentIsLoggedAtFineWithItsCommand() throws Exception {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SessionSender.class.getName());
        Level before = logger.getLevel();
        logger.setLevel(Level.FINE);
        try (FakeSession fake = new FakeSession(); LogCapture log = LogCapture.of(SessionSender.class.getName())) {
            SessionSender sender = new SessionSender(fake.session, "r1", 100, Long.MAX_VALUE);
            sender.reply("first", false, "echo");
            assertThat(sender.send("second", false)).succeedsWithin(Duration.ofSeconds(10));
            sender.reply("third", false, "echo");
            waitFor(() -> fake.sent.size() == 3);
            assertThat(fake.sent).containsExactly("first", "second", "third");
            assertThat(log.records()).isEmpty();

            sender.close(CloseCodes.NORMAL, "bye");
            sender.reply("late", false, "lost-cmd");
            assertThat(fake.sent).hasSize(3);
            assertThat(log.records()).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.FINE);
                assertThat(r.getMessage()).contains("r1", "lost-cmd", "reply not sent", "session closed");
            });
        } finally {
            logger.setLevel(before);
        }
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(condition);
    }
}
