package dev.wsrv.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waits for a request's stage on the caller's thread and throws its failure as it is, for {@code WsrvClient.call}. */
final class BlockingCall {

    private BlockingCall() {
    }

    /**
     * Waits without a limit of its own: every request stage ends, with its reply, its timeout or its connection's
     * close (a request whose timeout is zero waits as long as its connection lives).
     */
    static <T> T await(CompletionStage<T> stage, String cmd) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        try {
            return f.get();
        } catch (InterruptedException e) {
            // the request leaves the client's table, and its reply, should it come, is dropped
            f.cancel(false);
            Thread.currentThread().interrupt();
            CancellationException c = new CancellationException(
                    "wsrv: interrupted while waiting for the reply to " + cmd);
            c.initCause(e);
            throw c;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                // made for this request on a client thread, whose stack says nothing: show the caller's instead
                r.fillInStackTrace();
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause); // the client fails stages with unchecked exceptions only
        }
    }
}
