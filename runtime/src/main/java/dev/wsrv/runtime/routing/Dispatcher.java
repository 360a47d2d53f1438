package dev.wsrv.runtime.routing;

import dev.wsrv.CloseCodes;
import dev.wsrv.Reply;
import dev.wsrv.Request;
import dev.wsrv.Status;
import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.WsrvConfig;
import dev.wsrv.runtime.codec.Inbound;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one inbound frame to its single reply: heartbeats are dropped, invalid frames answered with 400,
 * requests run through their chain. Every request gets exactly one reply, through the session's sender.
 *
 * <p>It enforces the per-session request limits ({@link WsrvConfig.Limits}): a frame without a token of the
 * session's bucket, or a request while the session has {@code asyncInFlight} asynchronous requests unanswered,
 * is answered 429 without running the chain; {@code violationsBeforeClose} refusals for the rate within 10 s close
 * the session with 1008, after the last 429 is written, and the frames that arrive meanwhile get no reply. Each
 * kind of limit is logged at WARN the first time it acts on a session, with the session id.
 *
 * <p>The chain runs on the calling thread; the container delivers one session's frames one at a time, so a
 * session's requests are handled in order. Thread-safe.
 */
public final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    /** The WARN lines of the limits. */
    private static final Logger LIMITS = Logger.getLogger(RequestLimiter.class.getName());

    private final RouteTable table;
    private final Services services;
    private final WsrvConfig.Limits limits;
    /** Whether frames need the session's {@link RequestLimiter}: the rate or the in-flight count is limited. */
    private final boolean perSession;

    /**
     * Creates a dispatcher that enforces no per-session limits.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry) {
        this(table, binder, pusher, registry, WsrvConfig.Limits.NONE);
    }

    /**
     * Creates the dispatcher.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     * @param limits the limits on request rate and asynchronous requests in flight, per session
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry,
                      WsrvConfig.Limits limits) {
        this.table = table;
        this.services = new Services(binder, new ErrorMapper(), pusher, registry);
        this.limits = limits;
        this.perSession = (limits.requestsPerSecond() > 0 && limits.requestBurst() > 0) || limits.asyncInFlight() > 0;
    }

    /**
     * Handles one decoded frame of a session.
     *
     * @param session the session
     * @param inbound the frame
     */
    public void handle(SessionState session, Inbound inbound) {
        if (inbound instanceof Inbound.Heartbeat) {
            // a heartbeat only restarts the idle timer, which the container did on receipt
            return;
        }
        RequestLimiter limiter = null;
        if (perSession) {
            limiter = RequestLimiter.of(session, limits);
            if (limiter.closing()) {
                // being closed for its rate: the client has had its 429s
                return;
            }
            if (!limiter.tryAcquire()) {
                overRate(session, limiter, inbound);
                return;
            }
        }
        if (inbound instanceof Inbound.Call call) {
            if (limiter != null && limiter.asyncFull()) {
                overAsync(session, limiter, call);
                return;
            }
            run(session, call.request(), call.binary(), limiter);
        } else if (inbound instanceof Inbound.Invalid bad) {
            if (bad.limit() != null) {
                overShape(session, limiter, bad);
            } else {
                LOG.fine(() -> "wsrv session " + session.id() + ": bad request (" + bad.reason() + ")");
            }
            send(session, new Reply(bad.cmd(), bad.seqno(), Status.BAD_REQUEST, Status.BAD_REQUEST_MSG, null),
                    bad.binary());
        }
    }

    /** Answers a frame that found no token 429, and closes the session when it is one refusal too many. */
    private void overRate(SessionState session, RequestLimiter limiter, Inbound inbound) {
        String cmd;
        String seqno;
        if (inbound instanceof Inbound.Call call) {
            cmd = call.request().cmd();
            seqno = call.request().seqno();
        } else {
            Inbound.Invalid bad = (Inbound.Invalid) inbound;
            cmd = bad.cmd();
            seqno = bad.seqno();
        }
        if (limiter.firstTime(RequestLimiter.Kind.RATE)) {
            LIMITS.warning(() -> "wsrv session " + session.id() + ": over its request rate ("
                    + limits.requestsPerSecond() + "/s, burst " + limits.requestBurst()
                    + "), answering 429; first refused: cmd " + LogText.safe(cmd));
        }
        boolean close = limiter.violation();
        CompletableFuture<Void> sent = send(session, tooMany(cmd, seqno), inbound.binary());
        if (close) {
            LIMITS.warning(() -> "wsrv session " + session.id() + " closed with 1008: "
                    + limits.violationsBeforeClose() + " requests refused for its rate within 10 s");
            // after the last 429 is written: closing now would drop the replies still queued
            sent.whenComplete((ok, error) ->
                    session.sender().close(CloseCodes.POLICY_VIOLATION, Status.TOO_MANY_REQUESTS_MSG));
        }
    }

    /** Answers a request 429 because the session has as many asynchronous requests in flight as it may. */
    private void overAsync(SessionState session, RequestLimiter limiter, Inbound.Call call) {
        Request request = call.request();
        if (limiter.firstTime(RequestLimiter.Kind.ASYNC)) {
            LIMITS.warning(() -> "wsrv session " + session.id() + ": " + limits.asyncInFlight()
                    + " asynchronous requests in flight, the limit; answering 429; first refused: cmd "
                    + LogText.safe(request.cmd()));
        }
        send(session, tooMany(request.cmd(), request.seqno()), call.binary());
    }

    /** Logs, once per session and kind, a frame whose data broke a limit on its shape. */
    private void overShape(SessionState session, RequestLimiter known, Inbound.Invalid bad) {
        RequestLimiter limiter = known != null ? known : RequestLimiter.of(session, limits);
        RequestLimiter.Kind kind = bad.limit() == Inbound.DataLimit.DEPTH
                ? RequestLimiter.Kind.DEPTH : RequestLimiter.Kind.KEYS;
        if (limiter.firstTime(kind)) {
            LIMITS.warning(() -> "wsrv session " + session.id() + ": answering 400: " + bad.reason()
                    + "; cmd " + LogText.safe(bad.cmd()));
        }
    }

    private static Reply tooMany(String cmd, String seqno) {
        return new Reply(cmd, seqno, Status.TOO_MANY_REQUESTS, Status.TOO_MANY_REQUESTS_MSG, null);
    }

    private void run(SessionState session, Request request, boolean binary, RequestLimiter limiter) {
        RequestContext ctx = new RequestContext(services, session, request, table.route(request.cmd()));
        ctx.next();
        CompletionStage<?> pending = ctx.pending();
        if (pending == null) {
            send(session, ctx.finalReply(), binary);
            return;
        }
        if (limiter != null) {
            limiter.asyncStarted();
        }
        pending.whenComplete((value, error) -> {
            if (limiter != null) {
                // before the reply goes out, so that a client that waits for it finds the slot free
                limiter.asyncDone();
            }
            try {
                ctx.completed(value, error);
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
            send(session, ctx.finalReply(), binary);
        });
    }

    private CompletableFuture<Void> send(SessionState session, Reply reply, boolean binary) {
        String text;
        try {
            text = ReplyEncoder.toJson(reply);
        } catch (RuntimeException e) {
            // the handler's data cannot be serialised: that is the handler's fault, answered like any other
            text = ReplyEncoder.toJson(services.errors().toReply(e, reply.cmd(), reply.seqno(), session.id()));
        }
        CompletableFuture<Void> sent = session.sender().send(text, binary);
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, () -> "wsrv session " + session.id() + ": reply to "
                        + LogText.safe(reply.cmd()) + " not sent: " + error);
            }
        });
        return sent;
    }
}
