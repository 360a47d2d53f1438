package dev.wsrv.runtime.handshake;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts open connections in total and per client address, and refuses one more beyond either limit.
 * Thread-safe; an address's counter disappears when its last connection closes.
 */
final class ConnectionLimiter {

    /** Why a connection was refused, and the HTTP status it gets. */
    enum Refusal {
        /** Over the total limit: the server is full, HTTP 503. */
        TOTAL(503),
        /** Over the per-address limit: this client has too many, HTTP 429. */
        PER_ADDRESS(429);

        final int status;

        Refusal(int status) {
            this.status = status;
        }
    }

    private final int maxTotal;
    private final int maxPerAddress;
    // one lock rather than atomics: the two counts must move together, or a refusal on one could turn away a
    // concurrent request that the other had room for; handshakes are rare next to messages
    private final Object lock = new Object();
    private int total;
    private final Map<String, Integer> perAddress = new HashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Takes a slot for one connection.
     *
     * @param address the client address
     * @return {@code null} when taken, else why not
     */
    Refusal acquire(String address) {
        synchronized (lock) {
            if (maxTotal > 0 && total >= maxTotal) {
                return Refusal.TOTAL;
            }
            int fromAddress = perAddress.getOrDefault(address, 0);
            if (maxPerAddress > 0 && fromAddress >= maxPerAddress) {
                return Refusal.PER_ADDRESS;
            }
            total++;
            perAddress.put(address, fromAddress + 1);
            return null;
        }
    }

    /**
     * Gives back the slot of a closed connection.
     *
     * @param address the client address
     */
    void release(String address) {
        synchronized (lock) {
            total--;
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    int open() {
        synchronized (lock) {
            return total;
        }
    }
}
