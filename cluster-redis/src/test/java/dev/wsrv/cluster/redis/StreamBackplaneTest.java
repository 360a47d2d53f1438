package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.FaultProxy;
import dev.wsrv.it.support.LogCapture;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.session.PushesLost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node in this JVM on a real redis-server, reached through a {@link FaultProxy}: what it finds missing in the
 * stream is logged once and fired as {@link PushesLost}; what Redis kept across a restart with persistence arrives.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StreamBackplaneTest {

    private static final String STREAM = RedisCluster.DEFAULT_CHANNEL + RedisCluster.STREAM_SUFFIX;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Records the losses the transport reports. */
    @ApplicationScoped
    public static class LossRecorder {
        static final LinkedBlockingQueue<PushesLost> LOSSES = new LinkedBlockingQueue<>();

        void lost(@Observes PushesLost loss) {
            LOSSES.add(loss);
        }
    }

    private final int redisPort = Proc.freePort();
    private Proc redis;
    private FaultProxy proxy;
    private EmbeddedServer server;
    private TestClient client;
    private LogCapture log;
    private int fences;

    @BeforeEach
    void clear() {
        LossRecorder.LOSSES.clear();
        log = LogCapture.of(RedisPushTransport.class.getName());
    }

    @AfterEach
    void stop() {
        log.close();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        System.clearProperty(RedisCluster.URI_KEY);
        if (proxy != null) {
            proxy.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void entriesTrimmedWhileTheNodeWasCutOffAreReportedOnceAndTheRestArrives() throws Exception {
        start(Proc.redis(redisPort));

        proxy.down();
        for (int n = 1; n <= 20; n++) {
            // exact trimming: the stream keeps the last five
            append("cut", n, "5");
        }
        proxy.resume();

        assertThat(received()).containsExactly("cut 16", "cut 17", "cut 18", "cut 19", "cut 20");
        assertThat(LossRecorder.LOSSES.poll()).isEqualTo(
                new PushesLost("15 entries were trimmed before this node read them"));
        assertThat(LossRecorder.LOSSES).isEmpty();
        assertThat(warnings()).containsOnlyOnce(
                "wsrv: this node missed cluster pushes: 15 entries were trimmed before this node read them; its "
                        + "sessions may lack pushes other nodes published before now");
    }

    @Test
    void aNodeThatFallsBehindWhileConnectedCountsWhatWasTrimmedBeforeItReadsOn() throws Exception {
        start(Proc.redis(redisPort));

        // one script: 3,000 entries, the stream trimmed to the last 1,000, before the node can read any
        String burst = """
                for i = 1, tonumber(ARGV[1]) do
                  redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '*', 'm',
                    '{"target":"all","cmd":"burst","data":' .. i .. '}')
                end
                return redis.call('XLEN', KEYS[1])""";
        assertThat(Proc.redisCli(redisPort, "EVAL", burst, "1", STREAM, "3000", "1000")).isEqualTo("1000");

        List<String> expected = new ArrayList<>();
        for (int n = 2001; n <= 3000; n++) {
            expected.add("burst " + n);
        }
        assertThat(received()).containsExactlyElementsOf(expected);
        assertThat(LossRecorder.LOSSES.poll()).isEqualTo(
                new PushesLost("2000 entries were trimmed before this node read them"));
        assertThat(LossRecorder.LOSSES).isEmpty();
        assertThat(warnings()).filteredOn(w -> w.contains("missed cluster pushes")).hasSize(1);
    }

    @Test
    void aRestartWithoutPersistenceFailsPushesMeanwhileAndIsReportedOnce() throws Exception {
        start(Proc.redis(redisPort));

        redis.close();
        Pusher pusher = server.container().select(Pusher.class).get();
        PushResult during = pusher.broadcast("during", 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(during.delivered()).hasSize(1);
        assertThat(during.failures()).extracting(PushResult.Failure::sessionId).containsExactly(PushResult.REMOTE);
        redis = Proc.redis(redisPort);
        redis.awaitReady(WAIT);

        PushesLost loss = LossRecorder.LOSSES.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(loss).isEqualTo(new PushesLost(
                "Redis lost the cluster's data (restarted without persistence, flushed, or the key was evicted)"));
        // the push of this node was delivered here at once; the stream has nothing of it
        assertThat(received()).containsExactly("during 1");
        assertThat(LossRecorder.LOSSES).isEmpty();
        assertThat(warnings()).filteredOn(w -> w.contains("missed cluster pushes")).hasSize(1);
    }

    @Test
    void withAnAppendOnlyFileARestartLosesNothing(@TempDir Path dir) throws Exception {
        start(Proc.persistentRedis(redisPort, dir));

        proxy.down();
        append("kept", 1, "");
        append("kept", 2, "");
        redis.close();
        redis = Proc.persistentRedis(redisPort, dir);
        redis.awaitReady(WAIT);
        proxy.resume();

        assertThat(received()).containsExactly("kept 1", "kept 2");
        assertThat(LossRecorder.LOSSES).isEmpty();
        assertThat(warnings()).noneMatch(w -> w.contains("missed cluster pushes"));
    }

    /**
     * Starts Redis, the proxy to it and the node, connects a client to the node, and shows that the client gets what
     * is appended once the node has answered it.
     */
    private void start(Proc redisServer) throws Exception {
        redis = redisServer;
        redis.awaitReady(WAIT);
        proxy = FaultProxy.to(new InetSocketAddress("127.0.0.1", redisPort));
        System.setProperty(RedisCluster.URI_KEY, "redis://127.0.0.1:" + proxy.address().getPort());
        server = EmbeddedServer.builder().port(0).beanClasses(RedisCluster.beanClasses())
                .beanClasses(LossRecorder.class).start();
        client = TestClient.connect(server.uri());
        // the reply proves the session is registered: a push appended before that could miss it
        assertThat(client.request("registered", "s0", null).getInt("status")).isEqualTo(-1);
        append("before", 0, "");
        assertThat(received()).containsExactly("before 0");
    }

    /** Appends a push to everyone, as a service outside the cluster would; {@code maxLen} "" for no trimming. */
    private void append(String cmd, int n, String maxLen) throws Exception {
        String message = "{\"target\":\"all\",\"cmd\":\"" + cmd + "\",\"data\":" + n + "}";
        List<String> command = new ArrayList<>(List.of("XADD", STREAM));
        if (!maxLen.isEmpty()) {
            command.addAll(List.of("MAXLEN", maxLen));
        }
        command.addAll(List.of("*", "m", message));
        assertThat(Proc.redisCli(redisPort, command.toArray(String[]::new))).matches("\\d+-\\d+");
    }

    /** What the client received (command and data) before a fence appended now. */
    private List<String> received() throws Exception {
        String fence = "fence" + ++fences;
        append(fence, 0, "");
        return Cluster.until(client, fence).stream().map(StreamBackplaneTest::describe).toList();
    }

    private static String describe(JsonObject push) {
        assertThat(push.getInt("status")).isZero();
        return push.getString("cmd") + " " + push.get("data");
    }

    private List<String> warnings() {
        return log.atLeast(Level.WARNING).stream()
                .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
    }
}
