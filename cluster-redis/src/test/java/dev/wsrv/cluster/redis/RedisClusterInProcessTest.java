package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.runtime.session.PushTransport;
import dev.wsrv.runtime.session.RemotePush;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The message format, the extension without a URI, the stream's bound, and a node that starts while Redis is down. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterInProcessTest {

    @Test
    void messagesRoundTripAndOwnOnesAreSkipped() throws Exception {
        RemotePush p = new RemotePush(RemotePush.Target.GROUP, "g\"1", "{\"cmd\":\"x\"}", true);
        String json = ClusterMessage.encode("n1", p);
        assertThat(ClusterMessage.decode(json, "n2", false)).isEqualTo(p);
        assertThat(ClusterMessage.decode(json, "n1", false)).isNull();
        RemotePush ext = ClusterMessage.decode("{\"target\":\"ALL\",\"key\":\"ignored\",\"cmd\":\"c\",\"seqno\":\"q\"}",
                "n1", false);
        assertThat(ext).isEqualTo(new RemotePush(RemotePush.Target.ALL, "",
                "{\"cmd\":\"c\",\"seqno\":\"q\",\"status\":0,\"msg\":\"ok\",\"data\":{}}", false));
        assertThatThrownBy(() -> ClusterMessage.decode("{\"target\":\"user\",\"key\":\"1\",\"cmd\":\"\"}", "n", false))
                .isInstanceOf(ClusterMessage.BadMessage.class);
        assertThatThrownBy(() -> ClusterMessage.decode("{\"target\":\"user\",\"key\":\"1\",\"cmd\":\"c\",\"text\":\"t\"}",
                "n", false)).isInstanceOf(ClusterMessage.BadMessage.class);
        assertThatThrownBy(() -> ClusterMessage.decode("{\"target\":\"user\",\"key\":1,\"cmd\":\"c\"}", "n", false))
                .isInstanceOf(ClusterMessage.BadMessage.class);
        assertThatThrownBy(() -> ClusterMessage.decode("{\"target\":\"all\",\"cmd\":\"c\",\"binary\":\"yes\"}", "n", false))
                .isInstanceOf(ClusterMessage.BadMessage.class);
    }

    @Test
    void withoutUriTheExtensionVetoesTheTransport() {
        assertThat(RedisCluster.configured()).isFalse();
        assertThat(RedisCluster.beanClasses()).isEmpty();
        try (WeldContainer weld = new Weld("veto-test").disableDiscovery()
                .addExtension(new RedisClusterExtension())
                .addBeanClasses(RedisPushTransport.class)
                .property("org.jboss.weld.se.shutdownHook", false)
                .initialize()) {
            assertThat(weld.select(PushTransport.class).isResolvable()).isFalse();
        }
    }

    @Test
    void aStreamTooShortToFindLossesIsRefusedAtStart() {
        System.setProperty(RedisCluster.URI_KEY, "redis://127.0.0.1:" + Proc.freePort());
        System.setProperty(RedisCluster.STREAM_MAX_LEN_KEY, "999");
        try {
            assertThatThrownBy(() -> EmbeddedServer.builder().port(0).beanClasses(RedisCluster.beanClasses()).start())
                    .rootCause().hasMessage("wsrv.redis.streamMaxLen must be at least 1000: 999");
        } finally {
            System.clearProperty(RedisCluster.URI_KEY);
            System.clearProperty(RedisCluster.STREAM_MAX_LEN_KEY);
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownConnectsWhenItComes() throws Exception {
        int port = Proc.freePort();
        System.setProperty(RedisCluster.URI_KEY, "redis://127.0.0.1:" + port);
        Proc redis = null;
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(RedisCluster.beanClasses()).start()) {
            Pusher pusher = server.container().select(Pusher.class).get();
            PushResult down = pusher.pushToUser("1", "x", Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(down.failures()).extracting(PushResult.Failure::sessionId).containsExactly(PushResult.REMOTE);

            redis = Proc.redis(port);
            redis.awaitReady(Duration.ofSeconds(15));
            RedisPushTransport t = (RedisPushTransport) server.container().select(PushTransport.class).get();
            PushResult up = Awaitility.await("connected and subscribed").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> t.subscribed() ? pusher.pushToUser("1", "x", Map.of()).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS) : null, r -> r != null && r.failures().isEmpty());
            // only this node's own subscription listens: no other node received it
            assertThat(up.remoteNodes()).isZero();
            assertThat(Proc.publish(port, RedisCluster.DEFAULT_CHANNEL, "{}")).isEqualTo("1");
        } finally {
            System.clearProperty(RedisCluster.URI_KEY);
            if (redis != null) {
                redis.close();
            }
        }
    }
}
