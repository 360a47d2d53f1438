package dev.wsrv.client;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/** A command that answers only when the test says so, without blocking the session. */
@ApplicationScoped
public class AsyncCommands {

    static final LinkedBlockingQueue<CompletableFuture<Object>> WAITING = new LinkedBlockingQueue<>();

    @Command("later")
    public CompletionStage<Object> later() {
        CompletableFuture<Object> f = new CompletableFuture<>();
        WAITING.add(f);
        return f;
    }

    /** Answers every waiting request. */
    static void releaseAll() {
        CompletableFuture<Object> f;
        while ((f = WAITING.poll()) != null) {
            f.complete("released");
        }
    }
}
