package dev.wsrv.runtime.session;

import dev.wsrv.CloseCodes;
import dev.wsrv.runtime.WsrvThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes the sessions that have sent nothing for the idle timeout, with 1000 {@code idle timeout}, the same on
 * every container. wsrv keeps this clock itself rather than through {@code Session.setMaxIdleTimeout}: the
 * containers close an idle session with different codes (Tyrus 1000, Undertow 1001), Tyrus' first check can race
 * the timeout set on open, and Tyrus reschedules a timer on every frame. Any inbound frame, a request or a
 * heartbeat, restarts a session's clock; pushes do not.
 *
 * <p>One thread ({@link WsrvThreads}: the container's managed one in a WAR) checks every session at a tenth of the timeout (between 50 ms and 1 s), so a silent
 * session closes between one timeout and that much later. Thread-safe.
 */
public final class IdleSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IdleSweeper.class.getName());

    /** The reason of an idle close. */
    public static final String REASON = "idle timeout";

    private final SessionRegistry registry;
    private final long idleNanos;
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
        this.idleNanos = idle.toNanos();
        long period = Math.max(50, Math.min(1000, idle.toMillis() / 10));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> threads.newThread(r, "wsrv-idle-sweeper"));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (SessionState s : registry.all()) {
                if (now - s.lastInbound() >= idleNanos) {
                    LOG.fine(() -> "wsrv session " + s.id() + ": idle, closing");
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
