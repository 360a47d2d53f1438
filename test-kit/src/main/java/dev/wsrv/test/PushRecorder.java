package dev.wsrv.test;

import dev.wsrv.client.Push;
import dev.wsrv.client.Subscription;
import dev.wsrv.client.WsrvClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Records the pushes a client receives, and waits for them with a bound.
 *
 * <p>Each {@code await} takes pushes of its command in arrival order: a push returned once is not returned again,
 * so two awaits of {@code "joined"} return the first and the second such push. A wait that runs out fails with an
 * {@link AssertionError} that names what was awaited and lists every push received, so a failing test says what
 * arrived instead. The default bound is 5 seconds; {@link #within(Duration)} gives a view with another. Thread-safe.
 *
 * <pre>{@code
 * PushRecorder pushes = PushRecorder.of(client);
 * client.call("join", Map.of("room", "lobby"));
 * Push joined = pushes.await("joined");
 * }</pre>
 */
public final class PushRecorder implements AutoCloseable {

    /** How long an {@code await} waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Log log;
    private final Duration timeout;

    private PushRecorder(Log log, Duration timeout) {
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * Starts recording every push the client receives from now on.
     *
     * @param client the client, not null
     * @return the recorder; close it to stop recording
     */
    public static PushRecorder of(WsrvClient client) {
        Log log = new Log();
        log.subscription = client.onPush("*", log::add);
        return new PushRecorder(log, DEFAULT_TIMEOUT);
    }

    /**
     * Returns a view of the same recording whose waits are bounded by another timeout.
     *
     * @param timeout the bound, positive
     * @return the view
     */
    public PushRecorder within(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new PushRecorder(log, timeout);
    }

    /**
     * Waits for the next push of a command that no earlier await returned.
     *
     * @param cmd the command, not null
     * @return the push
     * @throws AssertionError if none arrives within the timeout
     */
    public Push await(String cmd) {
        return await(cmd, 1).get(0);
    }

    /**
     * Waits for the next {@code count} pushes of a command that no earlier await returned.
     *
     * @param cmd the command, not null
     * @param count how many, at least 1
     * @return the pushes, in arrival order
     * @throws AssertionError if fewer arrive within the timeout; none of them is taken then
     */
    public List<Push> await(String cmd, int count) {
        Objects.requireNonNull(cmd, "cmd");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        return log.take(cmd, count, timeout);
    }

    /**
     * Returns every push recorded so far, taken or not, in arrival order.
     *
     * @return an immutable snapshot
     */
    public List<Push> all() {
        synchronized (log) {
            return List.copyOf(log.pushes);
        }
    }

    /** Stops recording; the pushes recorded stay readable. */
    @Override
    public void close() {
        log.subscription.close();
    }

    /** The recording that every view of one recorder shares. */
    private static final class Log {
        final List<Push> pushes = new ArrayList<>();
        final List<Boolean> taken = new ArrayList<>();
        Subscription subscription;

        synchronized void add(Push push) {
            pushes.add(push);
            taken.add(false);
            notifyAll();
        }

        synchronized List<Push> take(String cmd, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Integer> found = new ArrayList<>();
                for (int i = 0; i < pushes.size() && found.size() < count; i++) {
                    if (!taken.get(i) && pushes.get(i).cmd().equals(cmd)) {
                        found.add(i);
                    }
                }
                if (found.size() == count) {
                    List<Push> result = new ArrayList<>();
                    for (int i : found) {
                        taken.set(i, true);
                        result.add(pushes.get(i));
                    }
                    return List.copyOf(result);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(describe(cmd, count, found.size(), timeout));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for push '" + cmd + "'", e);
                }
            }
        }

        private String describe(String cmd, int count, int found, Duration timeout) {
            StringBuilder text = new StringBuilder();
            text.append(count == 1 ? "no push '" + cmd + "'" : found + " of " + count + " pushes '" + cmd + "'")
                    .append(" within ").append(timeout.toMillis()).append(" ms; ");
            if (pushes.isEmpty()) {
                return text.append("no push at all was received").toString();
            }
            text.append("received ").append(pushes.size()).append(':');
            for (int i = 0; i < pushes.size(); i++) {
                Push p = pushes.get(i);
                text.append("\n  ").append(taken.get(i) ? "(taken) " : "").append(p.cmd()).append(' ').append(p.data());
            }
            return text.toString();
        }
    }
}
