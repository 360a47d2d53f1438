package dev.wsrv.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reconnects a client after a connection it did not close has ended: waits the backoff (with jitter), opens a new
 * connection, and after a success hands over to the client's step for a reconnected session. Stops for good when
 * cancelled, when the server refuses the credentials (401 or 403: new attempts would only repeat it), or after the
 * attempts allowed in a row. Thread-safe.
 */
final class Reconnector {

    /** The client, as the reconnector uses it. */
    interface Host {
        /** Opens a new connection; completes when it is open, or fails. */
        CompletableFuture<?> connect();

        /** Runs after each successful reconnect. */
        void reconnected();

        /** Reports a failed attempt, or giving up, to the error listeners. */
        void failed(Throwable error);
    }

    private final Host host;
    private final Backoff backoff; // guarded by this
    private ScheduledFuture<?> task; // guarded by this
    private boolean cancelled; // guarded by this

    Reconnector(ReconnectOptions options, Host host) {
        this.host = host;
        this.backoff = new Backoff(options, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A connection was opened: the next close starts from the first delay. */
    synchronized void connected() {
        backoff.reset();
    }

    /** A connection the client did not close has ended: the first attempt follows after its delay. */
    synchronized void connectionLost() {
        schedule();
    }

    /** Stops for good: no attempt starts any more, and one under way ends quietly. */
    synchronized void cancel() {
        cancelled = true;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private synchronized void schedule() {
        if (cancelled) {
            return;
        }
        if (backoff.exhausted()) {
            host.failed(new WsrvConnectionException("wsrv: gave up reconnecting after " + backoff.attempts()
                    + " attempts", null, null, null));
            return;
        }
        task = ClientThreads.SCHEDULER.schedule(this::attempt, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
    }

    private void attempt() {
        synchronized (this) {
            task = null;
            if (cancelled) {
                return;
            }
        }
        host.connect().whenComplete((conn, e) -> {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
            }
            if (e == null) {
                host.reconnected();
                return;
            }
            host.failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            if (!refusedCredentials(e)) {
                schedule();
            }
        });
    }

    /** A handshake refused with 401 or 403: the same credentials would be refused again. */
    private static boolean refusedCredentials(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof WsrvConnectionException w && w.handshakeStatus().isPresent()) {
            int status = w.handshakeStatus().getAsInt();
            return status == 401 || status == 403;
        }
        return false;
    }
}
