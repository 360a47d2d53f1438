package dev.wsrv.client;

/**
 * A registered listener; closing it unregisters the listener.
 *
 * <p>{@link #close()} is idempotent, thread-safe and never throws. A notification already being delivered on
 * another thread when it is called may still reach the listener; none starts afterwards.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Unregisters the listener; does nothing when already unregistered. */
    @Override
    void close();
}
