package dev.wsrv.cluster.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/** Small helpers around Lettuce for the cluster's classes: closing a connection quietly, and log text. */
final class Lettuce {

    private static final Logger LOG = Logger.getLogger(Lettuce.class.getName());

    private Lettuce() {
    }

    /** Where a URI points, without its credentials, for a log line. */
    static String redacted(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** Closes a connection, if any, logging a failure at FINE. */
    static void close(StatefulRedisConnection<String, String> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.fine(() -> "wsrv: closing a Redis connection: " + e);
            }
        }
    }

    /** The message of a failure, or its class when it has none, for a log line. */
    static String reason(Throwable e) {
        Throwable t = e.getCause() != null && e instanceof CompletionException ? e.getCause() : e;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }
}
