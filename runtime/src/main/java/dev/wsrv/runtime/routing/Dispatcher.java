package dev.wsrv.runtime.routing;

import dev.wsrv.Reply;
import dev.wsrv.Request;
import dev.wsrv.Status;
import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.codec.Inbound;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionState;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one inbound frame to its single reply: heartbeats are dropped, invalid frames answered with 400,
 * requests run through their chain. Every request gets exactly one reply, through the session's sender.
 *
 * <p>The chain runs on the calling thread; the container delivers one session's frames one at a time, so a
 * session's requests are handled in order. Thread-safe.
 */
public final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final RouteTable table;
    private final Services services;

    /**
     * Creates the dispatcher.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry) {
        this.table = table;
        this.services = new Services(binder, new ErrorMapper(), pusher, registry);
    }

    /**
     * Handles one decoded frame of a session.
     *
     * @param session the session
     * @param inbound the frame
     */
    public void handle(SessionState session, Inbound inbound) {
        if (inbound instanceof Inbound.Call call) {
            run(session, call.request(), call.binary());
        } else if (inbound instanceof Inbound.Invalid bad) {
            LOG.fine(() -> "wsrv session " + session.id() + ": bad request (" + bad.reason() + ")");
            send(session, new Reply(bad.cmd(), bad.seqno(), Status.BAD_REQUEST, Status.BAD_REQUEST_MSG, null),
                    bad.binary());
        }
        // a heartbeat only restarts the idle timer, which the container did on receipt
    }

    private void run(SessionState session, Request request, boolean binary) {
        RequestContext ctx = new RequestContext(services, session, request, table.route(request.cmd()));
        ctx.next();
        CompletionStage<?> pending = ctx.pending();
        if (pending == null) {
            send(session, ctx.finalReply(), binary);
            return;
        }
        pending.whenComplete((value, error) -> {
            try {
                ctx.completed(value, error);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
            send(session, ctx.finalReply(), binary);
        });
    }

    private void send(SessionState session, Reply reply, boolean binary) {
        String text;
        try {
            text = ReplyEncoder.toJson(reply);
        } catch (RuntimeException e) {
            // the handler's data cannot be serialised: that is the handler's fault, answered like any other
            text = ReplyEncoder.toJson(services.errors().toReply(e, reply.cmd(), reply.seqno(), session.id()));
        }
        session.sender().send(text, binary).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, () -> "wsrv session " + session.id() + ": reply to "
                        + LogText.safe(reply.cmd()) + " not sent: " + error);
            }
        });
    }
}
