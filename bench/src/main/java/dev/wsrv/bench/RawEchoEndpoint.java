package dev.wsrv.bench;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The ceiling of scenario 1: a plain Tyrus endpoint that does the least work that still gives a correct reply. It
 * scans the request for {@code cmd}, {@code seqno} and {@code data} (no JSON parser, no routing, no middleware)
 * and answers with the full response envelope; an empty frame is a heartbeat and gets no reply. Like wsrv, it
 * sets the protocol's idle timeout on each session (system property {@code bench.raw.idleMs}, 30000 by default,
 * 0 for none), because Tyrus restarts that timer on every frame in and out.
 */
@ServerEndpoint("/raw")
public class RawEchoEndpoint {

    private static final long IDLE_MS = Long.getLong("bench.raw.idleMs", 30_000);

    /**
     * Sets the idle timeout of a new session.
     *
     * @param session the session
     */
    @OnOpen
    public void onOpen(Session session) {
        session.setMaxIdleTimeout(IDLE_MS);
    }

    /**
     * Answers one request.
     *
     * @param message the request text
     * @return the reply, or {@code null} for a heartbeat
     */
    @OnMessage
    public String onMessage(String message) {
        return reply(message);
    }

    /**
     * Builds the reply to one request with a string scan.
     *
     * @param m the request text
     * @return the response envelope, or {@code null} for a heartbeat
     */
    public static String reply(String m) {
        if (m.isEmpty()) {
            return null;
        }
        String cmd = stringField(m, "\"cmd\":\"");
        String seqno = stringField(m, "\"seqno\":\"");
        if (cmd == null) {
            return "{\"cmd\":\"\",\"seqno\":\"" + (seqno == null ? "" : seqno)
                    + "\",\"status\":400,\"msg\":\"bad request\",\"data\":{}}";
        }
        int d = m.indexOf("\"data\":");
        int end = m.lastIndexOf('}');
        String data = d < 0 || end <= d + 7 ? "{}" : m.substring(d + 7, end);
        StringBuilder b = new StringBuilder(48 + cmd.length() + (seqno == null ? 0 : seqno.length()) + data.length());
        return b.append("{\"cmd\":\"").append(cmd).append("\",\"seqno\":\"").append(seqno == null ? "" : seqno)
                .append("\",\"status\":0,\"msg\":\"ok\",\"data\":").append(data).append('}').toString();
    }

    private static String stringField(String m, String key) {
        int k = m.indexOf(key);
        if (k < 0) {
            return null;
        }
        int from = k + key.length();
        int to = m.indexOf('"', from);
        return to < 0 ? null : m.substring(from, to);
    }
}
