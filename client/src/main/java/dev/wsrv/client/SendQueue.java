package dev.wsrv.client;

import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The outbound frames of one connection, sent one at a time as the JDK WebSocket requires, in the order they were
 * queued. Thread-safe.
 */
final class SendQueue {

    private volatile WebSocket ws;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>(); // guarded by itself
    private boolean sending; // guarded by queue

    /** Sets the socket, once it is known (before any frame is queued). */
    void attach(WebSocket webSocket) {
        ws = webSocket;
    }

    /** Whether a frame is on its way: a heartbeat would be redundant then. */
    boolean busy() {
        synchronized (queue) {
            return sending;
        }
    }

    CompletableFuture<Void> text(String text) {
        return enqueue(new Outgoing(text, -1, null));
    }

    CompletableFuture<Void> close(int code, String reason) {
        return enqueue(new Outgoing(null, code, reason));
    }

    private CompletableFuture<Void> enqueue(Outgoing o) {
        synchronized (queue) {
            queue.add(o);
            if (sending) {
                return o.done;
            }
            sending = true;
        }
        pump();
        return o.done;
    }

    /** Sends queued frames while their sends complete at once; goes on from a send's completion otherwise. */
    private void pump() {
        for (;;) {
            Outgoing o;
            synchronized (queue) {
                o = queue.poll();
                if (o == null) {
                    sending = false;
                    return;
                }
            }
            CompletableFuture<WebSocket> f;
            try {
                f = o.text != null ? ws.sendText(o.text, true) : ws.sendClose(o.closeCode, o.closeReason);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, e) -> {
                if (e != null) {
                    o.done.completeExceptionally(e);
                } else {
                    o.done.complete(null);
                }
            });
            if (!f.isDone()) {
                f.whenComplete((r, e) -> pump());
                return;
            }
        }
    }

    /** A text frame ({@code text != null}) or a close frame. */
    private static final class Outgoing {
        final String text;
        final int closeCode;
        final String closeReason;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Outgoing(String text, int closeCode, String closeReason) {
            this.text = text;
            this.closeCode = closeCode;
            this.closeReason = closeReason;
        }
    }
}
