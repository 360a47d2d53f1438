package dev.wsrv.cluster.redis;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import java.util.logging.Logger;

/**
 * Removes {@link RedisPushTransport}, {@link RedisPresence} and {@link RedisSessionDirectory} from the deployment when
 * no Redis URI is configured, so that the application stays a single node exactly as without the module.
 */
public class RedisClusterExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(RedisClusterExtension.class.getName());

    void vetoWithoutUri(@Observes ProcessAnnotatedType<RedisPushTransport> event) {
        if (!RedisCluster.configured()) {
            LOG.info("wsrv: no " + RedisCluster.URI_KEY + " configured: single node, Redis cluster transport off");
            event.veto();
        }
    }

    void vetoPresenceWithoutUri(@Observes ProcessAnnotatedType<RedisPresence> event) {
        if (!RedisCluster.configured()) {
            event.veto();
        }
    }

    void vetoDirectoryWithoutUri(@Observes ProcessAnnotatedType<RedisSessionDirectory> event) {
        if (!RedisCluster.configured()) {
            event.veto();
        }
    }
}
