package dev.wsrv.it.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/protocol.md#sessions: all writes to one connection are serialised. Eight threads push to one session through
 * an application service while that client sends requests; nothing is lost, duplicated, interleaved or reordered.
 */
@Timeout(60)
class ConcurrentPushTest {

    private static final int THREADS = 8;
    private static final int PUSHES = 1_000;
    private static final int REQUESTS = 1_000;

    @Test
    void eightThreadsPushWhileTheClientSendsRequests() throws Exception {
        // a queue bound this test cannot reach: it is about serialisation, not about slow consumers
        try (LogCapture log = LogCapture.of("");
             EmbeddedServer server = PusherServers.start(
                     PusherServers.config(1_000_000, 1L << 30));
             TestClient c = TestClient.connect(server.uri())) {
            String id = PusherServers.whoami(c);
            PushService svc = PusherServers.service(server);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<CompletionStage<PushResult>>>> pushers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    pushers.add(pool.submit(() -> {
                        go.await();
                        List<CompletionStage<PushResult>> results = new ArrayList<>(PUSHES);
                        for (int n = 0; n < PUSHES; n++) {
                            results.add(svc.toSession(id, "tick", Map.of("t", thread, "n", n)));
                        }
                        return results;
                    }));
                }
                Future<?> requests = pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < REQUESTS; r++) {
                        c.sendText("{\"cmd\":\"echo\",\"seqno\":\"r" + r + "\",\"data\":{\"r\":" + r + "}}");
                    }
                    return null;
                });
                go.countDown();

                int[] nextPush = new int[THREADS];
                int nextReply = 0;
                Set<String> pushSeqnos = new HashSet<>();
                for (int i = 0; i < THREADS * PUSHES + REQUESTS; i++) {
                    TestClient.Message m = c.next();
                    assertThat(m.binary()).isFalse();
                    JsonObject o = m.json(); // a valid JSON object, or this throws
                    assertThat(o.keySet()).containsExactlyInAnyOrder("cmd", "seqno", "status", "msg", "data");
                    assertThat(o.getInt("status")).isZero();
                    assertThat(o.getString("msg")).isEqualTo("ok");
                    JsonObject data = o.getJsonObject("data");
                    if (o.getString("cmd").equals("tick")) {
                        int t = data.getInt("t");
                        // per-thread order is kept, so every thread's counter arrives as 0, 1, 2, ...
                        assertThat(data.getInt("n")).as("push of thread %d", t).isEqualTo(nextPush[t]);
                        nextPush[t]++;
                        assertThat(pushSeqnos.add(o.getString("seqno"))).as("unique seqno %s", o).isTrue();
                    } else {
                        assertThat(o.getString("cmd")).isEqualTo("echo");
                        // requests of one session are answered in arrival order
                        assertThat(o.getString("seqno")).isEqualTo("r" + nextReply);
                        assertThat(data.getInt("r")).isEqualTo(nextReply);
                        nextReply++;
                    }
                }
                assertThat(nextPush).containsOnly(PUSHES);
                assertThat(nextReply).isEqualTo(REQUESTS);
                requests.get(10, TimeUnit.SECONDS);
                assertThat(c.messagesBefore("echo")).as("nothing arrives twice").isEmpty();

                List<CompletableFuture<PushResult>> all = new ArrayList<>();
                for (Future<List<CompletionStage<PushResult>>> f : pushers) {
                    f.get(10, TimeUnit.SECONDS).forEach(s -> all.add(s.toCompletableFuture()));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                assertThat(all).hasSize(THREADS * PUSHES).allSatisfy(s -> {
                    assertThat(s.join().delivered()).containsExactly(id);
                    assertThat(s.join().failures()).isEmpty();
                });
            } finally {
                pool.shutdownNow();
            }
            assertThat(log.atLeast(Level.WARNING)).isEmpty();
            assertThat(log.records()).noneMatch(ConcurrentPushTest::mentionsIllegalState);
        }
    }

    private static boolean mentionsIllegalState(LogRecord r) {
        for (Throwable e = r.getThrown(); e != null; e = e.getCause()) {
            if (e instanceof IllegalStateException) {
                return true;
            }
        }
        return String.valueOf(r.getMessage()).contains("IllegalStateException");
    }
}
