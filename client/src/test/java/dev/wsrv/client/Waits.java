package dev.wsrv.client;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for the tests. */
final class Waits {

    static final Duration WAIT = Duration.ofSeconds(10);

    private Waits() {
    }

    /** Polls a condition until it holds; fails after the deadline. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The stage's value, waiting at most {@link #WAIT}. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The stage's failure (unwrapped), waiting at most {@link #WAIT}. */
    static Throwable failure(CompletionStage<?> stage) throws InterruptedException, TimeoutException {
        try {
            Object v = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Calls the supplier until it does not throw; rethrows its last failure after the deadline. */
    static <T> T retry(String what, Duration timeout, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("gave up " + what + " after " + timeout.toMillis() + " ms", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }
}
