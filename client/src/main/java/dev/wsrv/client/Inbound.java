package dev.wsrv.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where a client's inbound messages go, and when its reconnect hook runs: a reply completes its request, the session
 * message goes to the session listeners, a push already processed is dropped, any other push goes to the push
 * listeners; after a reconnect the hook runs once the session is known not to be recovered. Thread-safe.
 */
final class Inbound {

    /** How long after a reconnect the session message may take before the server counts as one without resume. */
    private static final Duration SESSION_MESSAGE_WAIT = Duration.ofSeconds(2);

    private final WsrvClient client;
    private final Function<WsrvClient, ? extends CompletionStage<?>> hook;
    private final Listeners listeners;
    private final PendingRequests pending;
    /** {@code null} when the client does not ask for a resumable session. */
    private final Recovery recovery;

    Inbound(WsrvClient client, Function<WsrvClient, ? extends CompletionStage<?>> hook, Listeners listeners,
            PendingRequests pending, Recovery recovery) {
        this.client = client;
        this.hook = hook;
        this.listeners = listeners;
        this.pending = pending;
        this.recovery = recovery;
    }

    /**
     * A connection attempt begins.
     *
     * @param base the client's endpoint
     * @return the endpoint of this attempt
     */
    URI connecting(URI base) {
        if (recovery == null) {
            return base;
        }
        recovery.connecting();
        return recovery.uri(base);
    }

    /** After a successful reconnect: the hook runs now, or when the session turns out not to be recovered. */
    void reconnected() {
        if (recovery == null || recovery.hookNow()) {
            runHook();
            return;
        }
        long attempt = recovery.attempt();
        ClientThreads.SCHEDULER.schedule(() -> {
            if (recovery.noSessionMessage(attempt)) {
                runHook();
            }
        }, SESSION_MESSAGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Every inbound message passes here.
     *
     * @param conn the connection it came on
     * @param text the message
     */
    void message(Connection conn, String text) {
        boolean first = conn.takeFirstMessage();
        JsonObject o;
        try {
            o = JsonSupport.parseObject(text);
        } catch (RuntimeException e) {
            listeners.error(new IllegalArgumentException("wsrv: inbound message is not a JSON object: "
                    + e.getMessage(), e));
            return;
        }
        String seqno = JsonSupport.string(o, "seqno");
        String cmd = JsonSupport.string(o, "cmd");
        int status = o.get("status") instanceof JsonNumber n ? n.intValue() : 0;
        String msg = JsonSupport.string(o, "msg");
        JsonValue data = o.getOrDefault("data", JsonValue.NULL);
        if (recovery != null && Recovery.isSessionMessage(cmd, seqno)) {
            conn.watchEchoes();
            listeners.session(recovery.session(data));
            if (recovery.takeHook()) {
                runHook();
            }
            return;
        }
        if (recovery != null && first && recovery.otherMessage()) {
            runHook();
        }
        if (pending.reply(seqno, status, msg, data)) {
            return;
        }
        long missing = recovery == null ? 0 : recovery.push(seqno);
        if (missing < 0) {
            // replayed after it had arrived once
            return;
        }
        if (missing > 0) {
            listeners.error(new WsrvConnectionException("wsrv: " + missing + " pushes missing before " + seqno,
                    cmd, seqno, null));
        }
        listeners.push(new Push(cmd, seqno, status, msg, data));
    }

    /** The session is a new one, not the one before: the hook registers again. */
    private void runHook() {
        if (hook == null) {
            return;
        }
        listeners.run(() -> {
            try {
                CompletionStage<?> stage = hook.apply(client);
                if (stage != null) {
                    stage.whenComplete((r, err) -> {
                        if (err != null) {
                            listeners.error(err);
                        }
                    });
                }
            } catch (RuntimeException | Error err) {
                listeners.reportError(err);
            }
        });
    }
}
