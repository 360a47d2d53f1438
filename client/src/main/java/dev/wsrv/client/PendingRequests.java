package dev.wsrv.client;

import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The requests of one client that wait for their replies, by seqno: their timeouts, and the memory of timed-out
 * ones whose late replies must not be taken for pushes. Stages complete on the client's executor, never on the
 * WebSocket or timer thread. Thread-safe.
 */
final class PendingRequests {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LATE_REPLY_MEMORY = 1024;

    private final Executor executor;
    private final String prefix = randomPrefix();
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, Pending<?>> pending = new ConcurrentHashMap<>();
    /** Seqnos of timed-out and cancelled requests, oldest first. */
    private final Set<String> expired = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > LATE_REPLY_MEMORY;
                }
            }));

    PendingRequests(Executor executor) {
        this.executor = executor;
    }

    /** A seqno unique to this client: {@code <random prefix>-<counter>}. */
    String nextSeqno() {
        return prefix + "-" + counter.incrementAndGet();
    }

    /**
     * Waits for the reply to a request sent on a connection.
     *
     * @param conn the connection the request goes out on
     * @param timeout how long to wait; zero waits without limit
     * @param mapper turns the reply's data into the stage's value
     * @return the request's stage; however it ends (reply, timeout, close, cancelled by the caller), the request
     *     leaves the table, and a reply after a timeout or a cancel is dropped
     */
    <T> CompletableFuture<T> add(Connection conn, String cmd, String seqno, Duration timeout,
            Function<JsonValue, T> mapper) {
        Pending<T> p = new Pending<>(conn, cmd, seqno, mapper);
        pending.put(seqno, p);
        p.future.whenComplete((r, e) -> {
            if (pending.remove(seqno, p)) {
                // ended by its caller (cancelled, or an interrupted call): its reply, should it come, is no push
                expired.add(seqno);
            }
            ScheduledFuture<?> t = p.timer;
            if (t != null) {
                t.cancel(false);
            }
        });
        if (!timeout.isZero()) {
            p.timer = ClientThreads.SCHEDULER.schedule(() -> {
                if (pending.remove(seqno, p)) {
                    expired.add(seqno);
                    completeLater(p.future, new WsrvTimeoutException(cmd, seqno, timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (p.future.isDone()) {
                p.timer.cancel(false);
            }
        }
        return p.future;
    }

    /** Fails one request, unless it has ended already. */
    void fail(String seqno, CompletableFuture<?> future, Throwable error) {
        Pending<?> p = pending.get(seqno);
        if (p != null && p.future == future && pending.remove(seqno, p)) {
            completeLater(p.future, error);
        }
    }

    /**
     * Completes the request a reply answers.
     *
     * @return {@code true} when the seqno was a request's (waiting, or timed out: the late reply is dropped);
     *     {@code false} when the message is not a reply
     */
    boolean reply(String seqno, int status, String msg, JsonValue data) {
        Pending<?> p = pending.remove(seqno);
        if (p != null) {
            p.complete(executor, status, msg, data);
            return true;
        }
        return !seqno.isEmpty() && expired.remove(seqno);
    }

    /** Fails every request waiting on a connection that has closed. */
    void failAll(Connection conn) {
        for (Pending<?> p : List.copyOf(pending.values())) {
            if (p.conn == conn && pending.remove(p.seqno, p)) {
                completeLater(p.future, conn.closedException(p.cmd, p.seqno));
            }
        }
    }

    private void completeLater(CompletableFuture<?> f, Throwable error) {
        ClientThreads.execute(executor, () -> f.completeExceptionally(error));
    }

    private static String randomPrefix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x & 0xff) % 36, 36));
        }
        return sb.toString();
    }

    /** One request waiting for its reply. */
    private static final class Pending<T> {
        final Connection conn;
        final String cmd;
        final String seqno;
        final Function<JsonValue, T> mapper;
        final CompletableFuture<T> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Pending(Connection conn, String cmd, String seqno, Function<JsonValue, T> mapper) {
            this.conn = conn;
            this.cmd = cmd;
            this.seqno = seqno;
            this.mapper = mapper;
        }

        void complete(Executor executor, int status, String msg, JsonValue data) {
            ClientThreads.execute(executor, () -> {
                if (status != 0) {
                    future.completeExceptionally(new WsrvStatusException(status, msg, data, cmd, seqno));
                    return;
                }
                T value;
                try {
                    value = mapper.apply(data);
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                    return;
                }
                future.complete(value);
            });
        }
    }
}
