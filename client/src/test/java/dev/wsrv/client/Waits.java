package dev.wsrv.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** Bounded waits for the tests. */
final class Waits {

    static final Duration WAIT = Duration.ofSeconds(10);

    private Waits() {
    }

    /** Polls a condition until it holds; fails after the deadline. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
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
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(attempt::get, Objects::nonNull);
    }
}
