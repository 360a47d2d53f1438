package dev.wsrv.runtime.session;

import dev.wsrv.CloseCodes;
import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.WsrvThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes the sessions that have sent nothing for the idle timeout, with 1000 {@code idle timeout}, the same on
 * every container. Each session also has the timeout as its {@code Session.setMaxIdleTimeout}, but the containers
 * close on that timer with codes of their own (Tyrus 1000 with its own reason, Undertow 1001), so the sweeper closes
 * a little earlier, {@link #lead} before the timeout, and the container's timer is only the backstop should the
 * sweeper ever stop. The containers restart their timer on every frame in or out, so it cannot run out before the
 * sweeper's: any inbound frame, a request or a heartbeat, restarts a session's clock here; pushes do not.
 *
 * <p>One thread ({@link WsrvThreads}: the container's managed one in a WAR) checks every session every
 * {@link #period} (a tenth of the timeout, between 50 ms and 1 s) and closes those silent for the timeout less the
 * lead, two periods: a silent session is closed after between the timeout less two periods and the timeout less one,
 * a full period before the container's timer (docs/protocol.md#heartbeat-and-idle-timeout). Thread-safe.
 */
public final class IdleSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IdleSweeper.class.getName());

    /** The reason of an idle close. */
    public static final String REASON = "idle timeout";

    private final SessionRegistry registry;
    private final long closeAfterNanos;
    private final ScheduledExecutorService timer;

    /**
     * Starts the sweeper.
     *
     * @param registry the sessions
     * @param idle the idle timeout, positive
     * @param threads makes its thread
     */
    public IdleSweeper(SessionRegistry registry, Duration idle, WsrvThreads threads) {
        this.registry = registry;
        this.closeAfterNanos = idle.minus(lead(idle)).toNanos();
        long period = period(idle).toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> threads.newThread(r, "wsrv-idle-sweeper"));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns how often the sweeper checks the sessions for an idle timeout: a tenth of it, between 50 ms and 1 s.
     *
     * @param idle the idle timeout, positive
     * @return the period
     */
    public static Duration period(Duration idle) {
        return Duration.ofMillis(Math.max(50, Math.min(1000, idle.toMillis() / 10)));
    }

    /**
     * Returns how much earlier than the idle timeout the sweeper closes a silent session, so that its close comes
     * before the container's own: two {@link #period}s, at most half the timeout.
     *
     * @param idle the idle timeout, positive
     * @return the lead
     */
    public static Duration lead(Duration idle) {
        Duration twoPeriods = period(idle).multipliedBy(2);
        Duration half = idle.dividedBy(2);
        return twoPeriods.compareTo(half) < 0 ? twoPeriods : half;
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (SessionState s : registry.all()) {
                if (now - s.lastInbound() >= closeAfterNanos) {
                    LOG.fine(() -> LogText.session(s.id()) + ": idle, closing");
                    s.sender().close(CloseCodes.NORMAL, REASON);
                }
            }
        } catch (RuntimeException e) {
            // the next round tries again; a sweeper that stopped would leave idle sessions open for ever
            LOG.log(Level.WARNING, "wsrv: idle sweep failed", e);
        }
    }

    /** Stops the sweeper. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
