package dev.wsrv.it.resume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionResumed;
import dev.wsrv.client.CloseEvent;
import dev.wsrv.client.ReconnectOptions;
import dev.wsrv.client.RequestOptions;
import dev.wsrv.client.SessionEvent;
import dev.wsrv.client.WsrvClient;
import dev.wsrv.client.WsrvConnectionException;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.WsrvConfig;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java client resumes its session through a fault proxy that cuts the network: every numbered push to its user,
 * its group and its session arrives once and in order across the cuts, the session listeners say whether it was
 * recovered and why not, the reconnect hook runs only when it was not, and a network that drops everything is found by
 * the server's heartbeat echo.
 */
@Timeout(120)
class ClientResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int CUTS = 5;
    private static final int PER_STREAM = 120;

    private EmbeddedServer server;
    private FaultProxy proxy;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<SessionEvent> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger hookRuns = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        ResumeBeans.Commands.release.countDown();
        for (AutoCloseable c : open) {
            c.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Starts the server with a short idle timeout: a connection whose reset neither side's socket reported (the
     * server had nothing to write and was not reading, the JDK client misses ends) is found silent and detached.
     */
    private void start(WsrvConfig.Resume resume) throws Exception {
        start(resume, Duration.ofSeconds(1));
    }

    private void start(WsrvConfig.Resume resume, Duration idleTimeout) throws Exception {
        server = EmbeddedServer.builder().port(0)
                .config(WsrvConfig.DEFAULTS.withResume(resume).with("wsrv.idleTimeoutMs", idleTimeout))
                .beanClasses(ResumeBeans.ALL).start();
        proxy = FaultProxy.to(server.uri());
    }

    private WsrvClient client(boolean resume) {
        WsrvClient c = WsrvClient.builder(proxy.via(server.uri()))
                .heartbeatInterval(Duration.ofMillis(200))
                .reconnect(ReconnectOptions.DEFAULTS.withInitialDelay(Duration.ofMillis(20))
                        .withMaxDelay(Duration.ofMillis(100)))
                .resume(resume)
                .onReconnect(x -> hookRuns.incrementAndGet())
                .onSession(sessions::add)
                .connect();
        open.add(c);
        return c;
    }

    private Pusher pusher() {
        return server.container().select(Pusher.class).get();
    }

    private static String id(WsrvClient c) {
        return c.call("whoami", null).asJsonObject().getString("id");
    }

    private SessionEvent awaitSession(int count) {
        await("session event " + count).atMost(WAIT).until(() -> sessions.size() >= count);
        assertThat(sessions).hasSize(count);
        return sessions.get(count - 1);
    }

    /** Takes the network down until the server has detached the session, then brings it back. */
    private void dropUntilDetached(String id, int detachedBefore) {
        proxy.down();
        await("the server detaches the session").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionDetached.class, id).size() == detachedBefore + 1);
    }

    @Test
    void numberedPushesToAUserAGroupAndTheSessionArriveOnceInOrderAcrossCuts() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        WsrvClient c = client(true);
        List<String> received = new CopyOnWriteArrayList<>();
        c.onPush("n", p -> received.add(p.data().asJsonObject().getString("s") + p.data().asJsonObject().getInt("i")));
        c.call("login", Map.of("name", "ann"));
        c.call("join", Map.of("name", "room"));
        String id = id(c);
        assertThat(awaitSession(1)).isEqualTo(new SessionEvent(id, false, "new", 0));

        long seed = System.nanoTime();
        System.out.println("ClientResumeTest seed " + seed);
        Random random = new Random(seed);
        CountDownLatch pushed = new CountDownLatch(1);
        CompletableFuture<Void> pushing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= PER_STREAM; i++) {
                List<CompletionStage<PushResult>> three = List.of(
                        pusher().pushToUser("ann", "n", Map.of("s", "u", "i", i)),
                        pusher().pushToGroup("room", "n", Map.of("s", "g", "i", i)),
                        pusher().push(id, "n", Map.of("s", "s", "i", i)));
                for (CompletionStage<PushResult> r : three) {
                    PushResult result = r.toCompletableFuture().join();
                    if (!result.complete() || result.delivered().size() + result.buffered().size() != 1) {
                        throw new AssertionError("push " + i + ": " + result);
                    }
                }
                if (i == 10) {
                    pushed.countDown();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
            }
        });
        assertThat(pushed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (int cut = 1; cut <= CUTS; cut++) {
            dropUntilDetached(id, cut - 1);
            timer.schedule(proxy::resume, 50 + random.nextInt(450), TimeUnit.MILLISECONDS);
            assertThat(awaitSession(cut + 1)).matches(e -> e.recovered() && e.sessionId().equals(id), "recovered");
        }
        pushing.get(60, TimeUnit.SECONDS);
        await("every push").atMost(WAIT).until(() -> received.size() >= 3 * PER_STREAM);
        for (String stream : List.of("u", "g", "s")) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= PER_STREAM; i++) {
                expected.add(stream + i);
            }
            assertThat(received.stream().filter(r -> r.startsWith(stream)).toList()).as(stream).isEqualTo(expected);
        }
        assertThat(received).hasSize(3 * PER_STREAM);
        assertThat(hookRuns).hasValue(0);
        assertThat(ResumeBeans.Events.of(SessionResumed.class, id)).hasSize(CUTS);
        assertThat(ResumeBeans.Events.of(SessionDetached.class, id)).hasSize(CUTS);
        assertThat(ResumeBeans.Events.of(SessionClosed.class, id)).isEmpty();
        assertThat(id(c)).isEqualTo(id);
    }

    @Test
    void afterTheWindowTheClientIsToldExpiredAndTheHookRuns() throws Exception {
        start(new WsrvConfig.Resume(Duration.ofMillis(300), 1000, 1 << 20, 64 << 20));
        WsrvClient c = client(true);
        String id = id(c);
        dropUntilDetached(id, 0);
        await("the window ends").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionClosed.class, id).size() == 1);
        assertThat(resumeNotRecovered("expired").sessionId()).isNotEqualTo(id).isEqualTo(id(c));
    }

    /** Lets the client back and checks that its session was not recovered, for the reason given, and the hook ran. */
    private SessionEvent resumeNotRecovered(String reason) {
        proxy.resume();
        SessionEvent e = awaitSession(2);
        assertThat(e.recovered()).isFalse();
        assertThat(e.reason()).isEqualTo(reason);
        await("the hook").atMost(WAIT).until(() -> hookRuns.get() == 1);
        return e;
    }

    @Test
    void pastTheBufferBoundTheClientIsToldBufferFullAndTheHookRuns() throws Exception {
        start(new WsrvConfig.Resume(Duration.ofMinutes(2), 5, 1 << 20, 64 << 20));
        WsrvClient c = client(true);
        String id = id(c);
        dropUntilDetached(id, 0);
        for (int i = 1; i <= 6; i++) {
            pusher().push(id, "n", Map.of("i", i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        resumeNotRecovered("buffer-full");
    }

    @Test
    void aRequestInFlightAtTheDropFailsAsLostAndItsReplyNeverArrives() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        ResumeBeans.Commands.release = new CountDownLatch(1);
        WsrvClient c = client(true);
        String id = id(c);
        List<Object> pushes = new CopyOnWriteArrayList<>();
        c.onPush("*", pushes::add);
        CompletionStage<JsonValue> held = c.request("held", null, RequestOptions.timeout(Duration.ZERO));
        await("the request reached the handler").atMost(WAIT)
                .until(() -> ResumeBeans.Commands.HELD_STARTED.contains(id));
        dropUntilDetached(id, 0);
        ExecutionException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> held.toCompletableFuture().get(10, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(WsrvConnectionException.class);
        assertThat(((WsrvConnectionException) failure.getCause()).closeCode()).hasValue(1006);
        proxy.resume();
        assertThat(awaitSession(2).recovered()).isTrue();
        ResumeBeans.Commands.release.countDown();
        await("the handler ran to its end").atMost(WAIT).until(() -> ResumeBeans.Commands.HELD_DONE.contains(id));
        assertThat(c.call("whoami", null).asJsonObject().getString("id")).isEqualTo(id);
        assertThat(pushes).isEmpty();
    }

    @Test
    void aNetworkThatDropsEverythingIsFoundByTheHeartbeatEchoAndTheSessionResumes() throws Exception {
        // the server's idle close (which ends the proxied socket) comes long after the client's own check
        start(WsrvConfig.Resume.DEFAULTS, Duration.ofSeconds(30));
        WsrvClient c = client(true);
        List<CloseEvent> closes = new CopyOnWriteArrayList<>();
        c.onClose(closes::add);
        String id = id(c);
        awaitSession(1);
        proxy.blackhole();
        // two heartbeat intervals (200 ms) and the grace of 5 s without a frame
        await("the client gives the silent connection up").atMost(WAIT).until(() -> closes.size() == 1);
        assertThat(closes.get(0).code()).isEqualTo(1006);
        assertThat(closes.get(0).reason()).isEqualTo("connection lost: no frame from the server for 5400 ms");
        proxy.resume();
        SessionEvent back = awaitSession(2);
        assertThat(back).isEqualTo(new SessionEvent(id, true, "", back.replayed()));
        assertThat(hookRuns).hasValue(0);
        assertThat(id(c)).isEqualTo(id);
    }

    @Test
    void aClientThatDoesNotAskGetsANewSessionAndNoSessionEvents() throws Exception {
        start(WsrvConfig.Resume.DEFAULTS);
        WsrvClient c = client(false);
        List<CloseEvent> closes = new CopyOnWriteArrayList<>();
        c.onClose(closes::add);
        String id = id(c);
        proxy.cut();
        await("the server closes the session at the drop").atMost(WAIT)
                .until(() -> ResumeBeans.Events.of(SessionClosed.class, id).size() == 1);
        await("reconnected").atMost(WAIT).until(() -> hookRuns.get() == 1);
        assertThat(id(c)).isNotEqualTo(id);
        assertThat(sessions).isEmpty();
        assertThat(ResumeBeans.Events.of(SessionDetached.class, id)).isEmpty();
        assertThat(closes).hasSize(1);
    }
}
