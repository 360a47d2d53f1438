package dev.wsrv.it.core;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler that blocks its thread until the test opens the gate, as a handler waiting for a database does, and tells
 * in which order the requests started.
 */
@ApplicationScoped
public class SlowCommands {

    /** How many {@code slow} requests have started, on any session. */
    static final AtomicInteger STARTED = new AtomicInteger();
    static volatile CountDownLatch gate = new CountDownLatch(1);

    /** Closes the gate and restarts the count. */
    static void reset() {
        STARTED.set(0);
        gate = new CountDownLatch(1);
    }

    /** Waits (at most 30 s) for the gate, then answers its place in the order in which requests started. */
    @Command("slow")
    public Map<String, Integer> slow() throws InterruptedException {
        int n = STARTED.incrementAndGet();
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
        return Map.of("started", n);
    }
}
