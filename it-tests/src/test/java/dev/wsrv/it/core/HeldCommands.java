package dev.wsrv.it.core;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An asynchronous command that stays in flight until the test releases it. */
@ApplicationScoped
public class HeldCommands {

    /** The stages of the {@code hold} requests not yet taken by the test, in arrival order. */
    static final BlockingQueue<CompletableFuture<String>> HELD = new LinkedBlockingQueue<>();

    /** Answers when the test completes the stage it takes with {@link #next()}. */
    @Command("hold")
    public CompletionStage<String> hold() {
        CompletableFuture<String> f = new CompletableFuture<>();
        HELD.add(f);
        return f;
    }

    /** The next held request's stage, waiting at most 10 s for it to arrive. */
    static CompletableFuture<String> next() throws Exception {
        CompletableFuture<String> f = HELD.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new TimeoutException("no held request within 10 s");
        }
        return f;
    }
}
