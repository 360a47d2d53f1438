package dev.wsrv.runtime.handshake;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The admission tickets whose sessions have not opened yet, oldest first, kept by the handshake gate. A container
 * may never open the session of an upgrade it answered 101 (the client left at once), and nothing would give that
 * slot back: a client repeating it would fill the connection limits for good. So each new admission first expires
 * the tickets older than the grace period ({@code wsrv.handshake.openGraceMs}) that are still unused ({@link #sweep},
 * called before a slot is taken). No thread of its own; thread-safe.
 */
final class PendingTickets {

    private final ConcurrentLinkedQueue<AdmissionTicket> queue = new ConcurrentLinkedQueue<>();
    private final long graceNanos;
    private final LongSupplier clock;

    /**
     * Creates the list.
     *
     * @param graceNanos how long a session may take to open after its admission
     * @param clock the nano clock ({@link System#nanoTime} outside tests)
     */
    PendingTickets(long graceNanos, LongSupplier clock) {
        this.graceNanos = graceNanos;
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * Tells whether an admission's grace period is over.
     *
     * @param admittedAt when it was admitted, on this list's clock
     * @return {@code true} when its session may no longer open
     */
    boolean late(long admittedAt) {
        return clock.getAsLong() - admittedAt >= graceNanos;
    }

    /**
     * Adds a new admission.
     *
     * @param admitted the new admission
     */
    void add(AdmissionTicket admitted) {
        queue.add(admitted);
    }

    /**
     * Drops the admissions past their grace period from the head, expiring those still unused, and the used ones
     * that are in the way.
     *
     * @return how many were expired
     */
    int sweep() {
        long now = clock.getAsLong();
        int expired = 0;
        for (AdmissionTicket head = queue.peek(); head != null; head = queue.peek()) {
            if (head.pending() && now - head.admittedAt() < graceNanos) {
                break;
            }
            if (queue.remove(head) && head.expire()) {
                expired++;
            }
        }
        return expired;
    }

    int size() {
        return queue.size();
    }
}
