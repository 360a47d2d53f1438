package dev.wsrv.cluster.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the cluster's stream on one thread and one connection of its own (a blocking read must not hold up the
 * publisher's commands): {@code XREAD BLOCK} after the last id it read, each entry handed to the sink in stream
 * order. When Redis fails it waits (from {@value #FIRST_RETRY_MS} ms, doubling up to the configured maximum),
 * connects again and reads on after the same id, so that what was added meanwhile arrives late but complete, as
 * long as the stream still holds it. After every reconnect, and while its reads come back full (it is behind), it
 * checks whether entries after its place were lost before it delivers more: the stream trimmed past it, or Redis lost
 * its data (the epoch key, set by the first node that finds it missing, has another value). That the stream keeps more
 * than {@link #BATCH} entries ({@code wsrv.redis.streamMaxLen} is at least {@value RedisCluster#MIN_STREAM_MAX_LEN})
 * is what lets a read that is not full go without the check.
 *
 * <p>{@link #start()} and {@link #stop()} are thread-safe; everything else runs on the reader's thread.
 */
final class StreamReader {

    /** Receives what the reader finds, on the reader's thread. */
    interface Sink {
        /**
         * One entry of the stream, in order.
         *
         * @param id the entry's id
         * @param fields the entry's fields
         */
        void entry(String id, Map<String, String> fields);

        /**
         * Entries after the reader's place were lost before it read them; called once per loss.
         *
         * @param reason what was lost and why
         */
        void lost(String reason);
    }

    private static final Logger LOG = Logger.getLogger(StreamReader.class.getName());

    /** Entries per read: bounds what one reply holds in memory. */
    static final int BATCH = 512;
    /** How long one read waits for entries; the reader's command timeout must exceed it. */
    static final Duration BLOCK = Duration.ofSeconds(1);
    static final long FIRST_RETRY_MS = 100;

    private final RedisClient client;
    private final String stream;
    private final String epochKey;
    private final long retryMaxMs;
    private final Sink sink;
    private final Thread thread;
    private final StreamPosition position = new StreamPosition();
    private final CountDownLatch placed = new CountDownLatch(1);
    private String epoch;
    /** Whether the last read came back full: the reader may be far behind, and reads with the stream's state. */
    private boolean behind;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    /**
     * Creates a reader; nothing happens before {@link #start()}.
     *
     * @param client a client whose command timeout exceeds {@link #BLOCK} and that does not reconnect by itself
     * @param stream the stream's key
     * @param epochKey the key of the data epoch
     * @param retryMax the longest wait between attempts after a failure
     * @param sink where entries and losses go
     */
    StreamReader(RedisClient client, String stream, String epochKey, Duration retryMax, Sink sink) {
        this.client = client;
        this.stream = stream;
        this.epochKey = epochKey;
        this.retryMaxMs = Math.max(FIRST_RETRY_MS, retryMax.toMillis());
        this.sink = sink;
        this.thread = new Thread(this::run, "wsrv-redis-stream");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Waits until the reader has taken its first place in the stream, or the time is up.
     *
     * @param wait the longest wait
     * @return whether it has
     */
    boolean awaitPlace(Duration wait) {
        try {
            return placed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the reader: its connection is closed, which ends a read under way; waits a bounded time. */
    void stop() {
        closed = true;
        thread.interrupt();
        Lettuce.close(connection);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long retryMs = FIRST_RETRY_MS;
        boolean warned = false;
        while (!closed) {
            try {
                if (connection == null) {
                    StatefulRedisConnection<String, String> c = client.connect();
                    connection = c;
                    if (closed) {
                        break;
                    }
                    resync(c.sync());
                    if (warned) {
                        LOG.info(() -> "wsrv: the stream reader is back on Redis; reading " + stream + " after "
                                + position.lastId());
                    }
                    warned = false;
                    retryMs = FIRST_RETRY_MS;
                }
                read(connection.sync());
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                Lettuce.close(connection);
                connection = null;
                // before the first contact the transport has said already that Redis is out of reach
                if (!warned && position.known()) {
                    warned = true;
                    LOG.warning(() -> "wsrv: the stream reader lost Redis (" + Lettuce.reason(e)
                            + "); pushes of other nodes wait in " + stream + " and follow when it is back; retrying");
                }
                if (!pause(retryMs)) {
                    break;
                }
                retryMs = Math.min(retryMs * 2, retryMaxMs);
            }
        }
        Lettuce.close(connection);
        connection = null;
    }

    private void read(RedisCommands<String, String> redis) {
        if (behind) {
            readBehind(redis);
            return;
        }
        List<StreamMessage<String, String>> batch = redis.xread(XReadArgs.Builder.block(BLOCK).count(BATCH),
                XReadArgs.StreamOffset.from(stream, position.lastId()));
        if (batch != null && batch.size() >= BATCH) {
            // far behind: entries may have been trimmed before this batch; read it again with the stream's state
            behind = true;
            return;
        }
        deliver(batch);
    }

    /**
     * Reads the entries after the place together with what the stream holds, at one instant (MULTI), so that a loss
     * before them is counted exactly and reported before they are delivered. A read that is not full needs no such
     * check: the stream keeps more than {@link #BATCH} entries, so when entries after the place were trimmed, every
     * entry it holds is after the place, and a read gets a full batch.
     */
    @SuppressWarnings("unchecked")
    private void readBehind(RedisCommands<String, String> redis) {
        redis.multi();
        redis.xinfoStream(stream);
        redis.xread(XReadArgs.Builder.count(BATCH), XReadArgs.StreamOffset.from(stream, position.lastId()));
        TransactionResult snapshot = redis.exec();
        Object info = snapshot.get(0);
        if (info instanceof RuntimeException e && !noSuchKey(e)) {
            throw e;
        }
        report(position.lost(info instanceof List<?> l ? StreamPosition.Info.parse((List<Object>) l)
                : StreamPosition.Info.ABSENT));
        List<StreamMessage<String, String>> batch = snapshot.get(1);
        deliver(batch);
        behind = batch != null && batch.size() >= BATCH;
    }

    private void deliver(List<StreamMessage<String, String>> batch) {
        if (batch == null) {
            return;
        }
        for (StreamMessage<String, String> m : batch) {
            if (closed) {
                return;
            }
            try {
                sink.entry(m.getId(), m.getBody());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wsrv: delivering entry " + m.getId() + " of " + stream + " failed", e);
            }
            position.advance(m.getId());
        }
    }

    /** After a (re)connect: learns the epoch, and either takes its first place or checks what it missed. */
    private void resync(RedisCommands<String, String> redis) {
        redis.set(epochKey, UUID.randomUUID().toString(), SetArgs.Builder.nx());
        String now = redis.get(epochKey);
        if (now == null) {
            throw new IllegalStateException(epochKey + " vanished while it was being read");
        }
        boolean dataLost = epoch != null && !epoch.equals(now);
        epoch = now;
        StreamPosition.Info info = info(redis);
        if (!position.known()) {
            position.startAtEnd(info);
            placed.countDown();
            LOG.fine(() -> "wsrv: reading " + stream + " after " + position.lastId());
            return;
        }
        if (dataLost) {
            position.restart();
            position.lost(info); // places the reader at the new stream's oldest entry; the loss is reported below
            report("Redis lost the cluster's data (restarted without persistence, flushed, or the key was evicted)");
        } else {
            report(position.lost(info));
        }
    }

    private void report(String reason) {
        if (reason != null) {
            sink.lost(reason);
        }
    }

    private StreamPosition.Info info(RedisCommands<String, String> redis) {
        try {
            return StreamPosition.Info.parse(redis.xinfoStream(stream));
        } catch (RedisCommandExecutionException e) {
            if (noSuchKey(e)) {
                return StreamPosition.Info.ABSENT;
            }
            throw e;
        }
    }

    /** Redis' answer to {@code XINFO STREAM} of a stream that does not exist. */
    private static boolean noSuchKey(RuntimeException e) {
        return e instanceof RedisCommandExecutionException && String.valueOf(e.getMessage()).contains("no such key");
    }

    private boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
