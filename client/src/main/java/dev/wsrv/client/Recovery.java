package dev.wsrv.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The client's side of a resumable session (docs/protocol.md#resumable-sessions): it asks for one in the query of
 * every connection attempt, keeps the token and the number of the last push processed, reads the session message,
 * and drops a push it has already processed. Thread-safe.
 */
final class Recovery {

    /** The command of the server's session message. */
    static final String SESSION_CMD = "wsrv.session";

    /** The session message of the current connection: not yet seen, recovered, or a new session. */
    private enum Seen { NOTHING, RECOVERED, NEW }

    private String token; // guarded by this
    private String prefix; // guarded by this
    private long last; // guarded by this
    private Seen seen = Seen.NOTHING; // guarded by this
    private boolean hookWaiting; // guarded by this
    private long attempt; // guarded by this

    /** A connection attempt begins: its session message is still to come. */
    synchronized void connecting() {
        seen = Seen.NOTHING;
        hookWaiting = false;
        attempt++;
    }

    /**
     * Returns the number of the current connection attempt, for a later {@link #noSessionMessage(long)}.
     *
     * @return the number
     */
    synchronized long attempt() {
        return attempt;
    }

    /**
     * After a reconnect: tells whether the reconnect hook runs now; if the session message has not come yet, the
     * decision waits for it ({@link #session}, {@link #otherMessage}, {@link #noSessionMessage}).
     *
     * @return {@code true} when the session was not recovered and the hook must run now
     */
    synchronized boolean hookNow() {
        if (seen == Seen.NOTHING) {
            hookWaiting = true;
            return false;
        }
        return seen == Seen.NEW;
    }

    /**
     * The first message of a connection is not the session message: the server does not resume sessions
     * (resumption off, or an older server), and the session is new.
     *
     * @return {@code true} when a waiting reconnect hook must run now
     */
    synchronized boolean otherMessage() {
        return noSessionMessage(attempt);
    }

    /**
     * No session message came in time after a reconnect: the server does not resume sessions.
     *
     * @param of the attempt the wait was for; a later attempt has its own
     * @return {@code true} when a waiting reconnect hook must run now
     */
    synchronized boolean noSessionMessage(long of) {
        if (of != attempt || seen != Seen.NOTHING) {
            return false;
        }
        seen = Seen.NEW;
        boolean run = hookWaiting;
        hookWaiting = false;
        return run;
    }

    /**
     * Tells, after {@link #session}, whether a waiting reconnect hook must run now, and forgets it.
     *
     * @return {@code true} once for a session that was not recovered after a reconnect
     */
    synchronized boolean takeHook() {
        boolean run = hookWaiting && seen == Seen.NEW;
        hookWaiting = false;
        return run;
    }

    /**
     * Adds the resume parameters to the endpoint of one connection attempt.
     *
     * @param base the client's endpoint
     * @return the endpoint with {@code wsrv.resume} and, when a push was processed, {@code wsrv.last}
     */
    synchronized URI uri(URI base) {
        StringBuilder q = new StringBuilder();
        q.append("wsrv.resume=").append(token == null ? "new" : URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (token != null && prefix != null && last > 0) {
            q.append("&wsrv.last=").append(prefix).append('-').append(Long.toString(last, 36));
        }
        String s = base.toString();
        int hash = s.indexOf('#');
        String head = hash < 0 ? s : s.substring(0, hash);
        return URI.create(head + (base.getRawQuery() == null ? "?" : "&") + q);
    }

    /**
     * Tells whether a message is the session message.
     *
     * @param cmd its cmd
     * @param seqno its seqno
     * @return {@code true} for the session message
     */
    static boolean isSessionMessage(String cmd, String seqno) {
        return SESSION_CMD.equals(cmd) && (seqno == null || seqno.isEmpty());
    }

    /**
     * Takes the session message: keeps the new token, and starts the numbering over for a new session.
     *
     * @param data its data
     * @return what it says
     */
    synchronized SessionEvent session(JsonValue data) {
        JsonObject o = data instanceof JsonObject j ? j : JsonValue.EMPTY_JSON_OBJECT;
        String id = JsonSupport.string(o, "id");
        boolean recovered = o.getBoolean("recovered", false);
        token = JsonSupport.string(o, "token");
        seen = recovered ? Seen.RECOVERED : Seen.NEW;
        if (!recovered) {
            prefix = null;
            last = 0;
        }
        String reason = JsonSupport.string(o, "reason");
        int replayed = o.get("replayed") instanceof JsonNumber n ? n.intValue() : 0;
        return new SessionEvent(id == null ? "" : id, recovered, recovered || reason == null ? "" : reason,
                replayed);
    }

    /**
     * Notes a push and tells whether it is new: a numbered push of this session at or below the last one processed
     * was replayed after it arrived once already.
     *
     * @param seqno the push's seqno
     * @return the number of pushes missing before it (0 when it follows the last one), or -1 for a duplicate to drop
     */
    synchronized long push(String seqno) {
        if (token == null || seqno == null) {
            return 0;
        }
        int dash = seqno.lastIndexOf('-');
        if (dash != 10) {
            return 0;
        }
        long n;
        try {
            n = Long.parseLong(seqno.substring(dash + 1), 36);
        } catch (NumberFormatException e) {
            return 0;
        }
        String p = seqno.substring(0, dash);
        if (prefix == null && n == 1) {
            prefix = p;
        } else if (!p.equals(prefix)) {
            // a push numbered elsewhere (a plain broadcast's seqno): not this session's numbering
            return 0;
        }
        if (n <= last) {
            return -1;
        }
        long missing = n - last - 1;
        last = n;
        return missing;
    }
}
