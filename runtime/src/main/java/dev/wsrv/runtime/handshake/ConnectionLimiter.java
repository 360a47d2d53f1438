package dev.wsrv.runtime.handshake;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

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
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        if (maxPerAddress > 0) {
            boolean[] refused = {false};
            perAddress.compute(address, (a, n) -> {
                int now = n == null ? 0 : n;
                if (now >= maxPerAddress) {
                    refused[0] = true;
                    return n;
                }
                return now + 1;
            });
            if (refused[0]) {
                total.decrementAndGet();
                return Refusal.PER_ADDRESS;
            }
        }
        return null;
    }

    /**
     * Gives back the slot of a closed connection.
     *
     * @param address the client address
     */
    void release(String address) {
        total.decrementAndGet();
        if (maxPerAddress > 0) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    int open() {
        return total.get();
    }
}
