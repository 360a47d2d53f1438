package dev.wsrv.runtime.routing;

import dev.wsrv.Reply;
import dev.wsrv.Status;
import dev.wsrv.WsException;
import dev.wsrv.runtime.LogText;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where a failure becomes a reply (docs/protocol.md#response).
 *
 * <p>A {@link WsException} keeps its status, message and data. Anything else is logged once at SEVERE with its
 * stack trace and an error id, and answered with 500 {@code internal error} and that id, never with the
 * exception's text. Thread-safe.
 */
public final class ErrorMapper {

    private static final Logger LOG = Logger.getLogger("dev.wsrv.errors");

    /** Creates the mapper. */
    public ErrorMapper() {
    }

    Reply toReply(Throwable t, RequestContext ctx) {
        return toReply(t, ctx.cmd(), ctx.seqno(), ctx.sessionId());
    }

    /**
     * Maps a failure to a reply.
     *
     * @param t the failure
     * @param cmd the request's command
     * @param seqno the request's id
     * @param sessionId the session, for the log
     * @return the reply
     */
    public Reply toReply(Throwable t, String cmd, String seqno, String sessionId) {
        Throwable cause = unwrap(t);
        if (cause instanceof WsException e) {
            return new Reply(cmd, seqno, e.status(), e.msg(), e.data());
        }
        String errorId = UUID.randomUUID().toString().substring(0, 13);
        LOG.log(Level.SEVERE, cause, () -> LogText.fields("session", sessionId, "cmd", cmd, "seqno", seqno,
                "errorId", errorId) + ": unexpected exception");
        return new Reply(cmd, seqno, Status.INTERNAL_ERROR, Status.INTERNAL_ERROR_MSG, Map.of("errorId", errorId));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException
                || c instanceof InvocationTargetException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
