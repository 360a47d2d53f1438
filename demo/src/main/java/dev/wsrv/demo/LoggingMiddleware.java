package dev.wsrv.demo;

import dev.wsrv.Context;
import dev.wsrv.Middleware;
import dev.wsrv.Reply;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;

/** Logs one line when a request comes in and one when its response is ready, as the Go library's example does. */
@ApplicationScoped
@Priority(100)
public class LoggingMiddleware implements Middleware {

    private static final Logger LOG = Logger.getLogger(LoggingMiddleware.class.getName());

    @Override
    public void handle(Context ctx) {
        long start = System.nanoTime();
        LOG.info(() -> "ws request session=" + ctx.sessionId() + " cmd=" + safe(ctx.cmd()) + " seqno=" + safe(ctx.seqno()));
        ctx.next();
        Reply r = ctx.response();
        long micros = (System.nanoTime() - start) / 1000;
        LOG.info(() -> "ws response session=" + ctx.sessionId() + " cmd=" + safe(ctx.cmd())
                + " status=" + (r == null ? "pending" : r.status()) + " time=" + micros + "us");
    }

    /** Client text in a log line: no line breaks, no control characters, bounded length. */
    static String safe(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
