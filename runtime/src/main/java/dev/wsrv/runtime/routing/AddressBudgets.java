package dev.wsrv.runtime.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * The request budget of each client address: one token bucket shared by every session from that address, so that
 * many connections from one address cannot together take more than it ({@code wsrv.limits.requestsPerSecondPerAddress},
 * {@code wsrv.limits.requestBurstPerAddress}). An address's budget exists while it has an open session. Thread-safe.
 */
final class AddressBudgets {

    private final int perSecond;
    private final int burst;
    private final Object lock = new Object();
    private final Map<String, Budget> byAddress = new HashMap<>();

    /**
     * Creates the budgets.
     *
     * @param perSecond the refill rate of each address's bucket, positive
     * @param burst the size of each address's bucket, positive
     */
    AddressBudgets(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /**
     * Returns the budget of an address for one more of its sessions.
     *
     * @param address the client address
     * @param now the time, for a new bucket
     * @return the budget, shared with the address's other sessions; give it back with {@link #release}
     */
    Budget open(String address, long now) {
        synchronized (lock) {
            Budget b = byAddress.computeIfAbsent(address, a -> new Budget(a, new TokenBucket(perSecond, burst, now)));
            b.sessions++;
            return b;
        }
    }

    /**
     * Gives back a budget when its session closes; the last session of an address takes the budget with it.
     *
     * @param budget the budget {@link #open} returned
     */
    void release(Budget budget) {
        synchronized (lock) {
            if (--budget.sessions == 0) {
                byAddress.remove(budget.address, budget);
            }
        }
    }

    /** One address's bucket. */
    static final class Budget {
        private final String address;
        private final TokenBucket bucket;
        /** Guarded by the {@link AddressBudgets}' lock. */
        private int sessions;

        private Budget(String address, TokenBucket bucket) {
            this.address = address;
            this.bucket = bucket;
        }

        /**
         * Takes a token for a frame of one of the address's sessions.
         *
         * @param now the frame's arrival
         * @return {@code true} if there was one
         */
        synchronized boolean take(long now) {
            return bucket.take(now);
        }

        String address() {
            return address;
        }
    }
}
