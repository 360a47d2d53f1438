package dev.wsrv.runtime.routing;

import dev.wsrv.CloseCodes;
import dev.wsrv.Execution;
import dev.wsrv.Reply;
import dev.wsrv.Request;
import dev.wsrv.Status;
import dev.wsrv.runtime.LogText;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.WsrvThreads;
import dev.wsrv.runtime.codec.BinaryFrame;
import dev.wsrv.runtime.codec.Frame;
import dev.wsrv.runtime.codec.Inbound;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.handshake.AdmissionTicket;
import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionSender;
import dev.wsrv.runtime.session.SessionState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs inbound frames to their single replies: heartbeats are dropped (echoed on resumable sessions), invalid frames
 * answered with 400, requests run through their chain. Every request gets exactly one reply, through the session's
 * sender.
 *
 * <p>A frame is decided on when it arrives, on the container's thread that read it ({@link #accept}): the session's
 * token bucket and its address's budget count it then, so that a client is never refused because the server was slow
 * to get to its requests. A frame without a token is answered 429 without running the chain, in its place among
 * the session's replies; {@code violationsBeforeClose} refusals within 10 s close the session with 1008 after the last
 * 429 is written, and the frames that arrive meanwhile get no reply. Each kind of limit is logged at WARN the first
 * time it acts on a session, with the session id.
 *
 * <p>Then the frame runs in its command's execution mode, through the session's {@link Inbox}: a non-blocking one at
 * once on the thread that read it when nothing of its session runs or waits, a blocking one on one of the
 * {@link Workers}, which take the sessions in turns, or on the container's thread when there are no workers
 * ({@code wsrv.workers=0}), a virtual-thread one on a virtual thread. A session's requests run one at a time and in
 * arrival order, whatever their modes, and no session's backlog delays another's. When the commands' modes differ, a
 * frame's JSON is read on arrival to find its command; when they all share one, it is read in its turn. Thread-safe.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    /** The WARN lines of the limits. */
    private static final Logger LIMITS = Logger.getLogger(RequestLimiter.class.getName());

    private final RouteTable table;
    private final RequestServices services;
    private final WsrvConfig.Limits limits;
    /** The budgets of client addresses, or {@code null} when addresses are not limited. */
    private final AddressBudgets budgets;
    /** The worker threads, or {@code null} to run frames on the container's threads. */
    private final Workers workers;
    private final Map<SessionState, Inbox> inboxes = new ConcurrentHashMap<>();
    /** Hears every reply and refusal; {@code null} when nothing observes, and then nothing is measured. */
    private final WsrvObserver observer;
    /** Watches the handlers' time; {@code null} when both of its thresholds are off. */
    private final BlockedIoCheck watch;
    private volatile boolean closing;
    /** The application's class loader, the context of the virtual threads as of the workers. */
    private final ClassLoader loader;

    /**
     * Creates a dispatcher that enforces no limits and runs frames on the calling thread, for benchmarks.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry) {
        this(table, binder, pusher, registry, WsrvConfig.Limits.NONE, 0, WsrvThreads.own(), null);
    }

    /**
     * Creates the dispatcher without the warning about non-blocking handlers that block.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     * @param limits the limits on request rates and asynchronous requests in flight
     * @param workers how many worker threads run the requests; 0 to run them on the container's threads
     * @param threads makes the worker threads
     * @param observer hears every reply and refusal; {@code null} for none
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry,
                      WsrvConfig.Limits limits, int workers, WsrvThreads threads, WsrvObserver observer) {
        this(table, binder, pusher, registry, limits, workers, threads, observer, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Creates the dispatcher.
     *
     * @param table the routing table
     * @param binder binds request data
     * @param pusher pushes for {@code ctx.push}
     * @param registry binds users and groups
     * @param limits the limits on request rates and asynchronous requests in flight
     * @param workers how many worker threads run the requests; 0 to run them on the container's threads
     * @param threads makes the worker threads
     * @param observer hears every reply and refusal; {@code null} for none
     * @param blockedIoWarn how long a non-blocking handler may hold the thread that read its frame before a warning;
     *     zero for no warning
     * @param slowHandlerWarn how long a handler of any mode may run before a warning; zero for no warning
     */
    public Dispatcher(RouteTable table, Binder binder, LocalPusher pusher, SessionRegistry registry,
                      WsrvConfig.Limits limits, int workers, WsrvThreads threads, WsrvObserver observer,
                      Duration blockedIoWarn, Duration slowHandlerWarn) {
        this.table = table;
        this.observer = observer;
        this.services = new RequestServices(binder, new ErrorMapper(), pusher, registry);
        this.limits = limits;
        this.budgets = limits.requestsPerSecondPerAddress() > 0 && limits.requestBurstPerAddress() > 0
                ? new AddressBudgets(limits.requestsPerSecondPerAddress(), limits.requestBurstPerAddress()) : null;
        this.workers = workers > 0 ? new Workers(workers, threads) : null;
        this.watch = blockedIoWarn.isZero() && slowHandlerWarn.isZero() ? null
                : new BlockedIoCheck(blockedIoWarn, slowHandlerWarn, threads, table.commands());
        this.loader = Thread.currentThread().getContextClassLoader();
    }

    /**
     * Starts taking a session's frames.
     *
     * @param session the session
     * @param address its client's address, for the address's budget
     * @param now the time it opened, in {@link System#nanoTime()} units
     */
    public void opened(SessionState session, String address, long now) {
        AddressBudgets.Budget budget = budgets == null ? null : budgets.open(address, now);
        inboxes.put(session, new Inbox(session, new RequestLimiter(limits, now), budget, this, workers));
    }

    /**
     * Stops taking a session's frames and drops those still waiting.
     *
     * @param session the closed session
     */
    public void closed(SessionState session) {
        Inbox inbox = inboxes.remove(session);
        if (inbox != null) {
            inbox.close();
            if (inbox.budget != null) {
                budgets.release(inbox.budget);
            }
        }
    }

    /**
     * Takes one frame as it arrives, on the container's thread that read it: counts it against the limits and runs it
     * or queues it, by its command's mode.
     *
     * @param session the session
     * @param frame the frame
     * @param now its arrival, in {@link System#nanoTime()} units
     */
    public void accept(SessionState session, Frame frame, long now) {
        if (frame.heartbeat()) {
            // a heartbeat only restarts the idle clock, which the router did on receipt; a resumable client also
            // learns from the echo that its connection still carries frames (docs/protocol.md#heartbeat-echo)
            if (session.resumable()) {
                session.sender().send("", frame instanceof BinaryFrame);
            }
            return;
        }
        Inbox inbox = inboxes.get(session);
        if (inbox == null || inbox.limiter.closing()) {
            // closed, or being closed for its rate: the client has had its 429s
            return;
        }
        Refusal refused = atArrival(inbox, now);
        inbox.add(new Inbox.Work(frame, refused, mode(frame, refused)));
    }

    /** Where a frame runs; a refusal or an invalid frame only sends a reply, which never blocks. */
    private Execution mode(Frame frame, Refusal refused) {
        Execution uniform = table.uniformMode();
        if (uniform != null) {
            return uniform;
        }
        return refused == null && frame.inbound() instanceof Inbound.Valid call
                ? table.mode(call.request().cmd()) : Execution.NON_BLOCKING;
    }

    /**
     * Runs a frame on the container's thread that read it; a handler's time there is watched.
     *
     * @param session the session
     * @param inbox its inbox
     * @param work the frame
     */
    void runOnReader(SessionState session, Inbox inbox, Inbox.Work work) {
        runWatched(session, inbox, work, work.mode() == Execution.NON_BLOCKING);
    }

    /**
     * Runs a frame on a worker or a virtual thread, in its session's turn; a handler's time there is watched.
     *
     * @param session the session
     * @param inbox its inbox
     * @param work the frame
     */
    void runInTurn(SessionState session, Inbox inbox, Inbox.Work work) {
        runWatched(session, inbox, work, false);
    }

    private void runWatched(SessionState session, Inbox inbox, Inbox.Work work, boolean nonBlockingOnReader) {
        if (watch == null || work.refused() != null || !watch.watches(nonBlockingOnReader)
                || !(work.frame().inbound() instanceof Inbound.Valid call)) {
            process(session, inbox, work);
            return;
        }
        BlockedIoCheck.Slot slot = watch.slot();
        slot.start(session.id(), call.request().cmd(), work.mode(), nonBlockingOnReader);
        try {
            process(session, inbox, work);
        } finally {
            slot.end();
        }
    }

    /** A virtual thread ends its turn: the watch forgets it. */
    void leftVirtualThread() {
        if (watch != null) {
            watch.leave();
        }
    }

    /**
     * Starts a virtual thread.
     *
     * @param task what it runs
     * @throws RejectedExecutionException once the dispatcher is closed
     */
    void startVirtual(Runnable task) {
        if (closing || Modes.VIRTUAL == null) {
            throw new RejectedExecutionException("wsrv: the dispatcher is closed");
        }
        Thread t = Modes.VIRTUAL.newThread(task);
        t.setContextClassLoader(loader);
        t.start();
    }

    /**
     * Runs one decoded frame on the calling thread, as if its turn had come; for benchmarks.
     *
     * @param session the session
     * @param inbound the frame
     */
    public void handle(SessionState session, Inbound inbound) {
        handle(session, inboxes.get(session), inbound, null);
    }

    /** Stops the workers and the check of the reading threads; the sessions are closed by then. */
    @Override
    public void close() {
        closing = true;
        if (workers != null) {
            workers.close();
        }
        if (watch != null) {
            watch.close();
        }
    }

    /**
     * Runs one frame in its turn; its JSON is read here. Never throws: a worker must go on with the next session.
     *
     * @param session the session
     * @param inbox its inbox, with its limits
     * @param work the frame
     */
    void process(SessionState session, Inbox inbox, Inbox.Work work) {
        try {
            handle(session, inbox, work.frame().inbound(), work.refused());
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, t, () -> LogText.session(session.id()) + ": a frame could not be run");
        }
    }

    /** The frame's way through, in the order of docs/protocol.md: heartbeat, limits, invalid input, run. */
    private void handle(SessionState session, Inbox inbox, Inbound inbound, Refusal atArrival) {
        if (inbound instanceof Inbound.Heartbeat) {
            return;
        }
        Refusal refusal = limits(inbox, inbound, atArrival);
        if (refusal != null) {
            refuse(session, inbox, inbound, refusal);
        } else if (inbound instanceof Inbound.Invalid bad) {
            invalid(session, inbox, bad);
        } else {
            run(session, inbox == null ? null : inbox.limiter, (Inbound.Valid) inbound);
        }
    }

    /**
     * The limits a frame meets when its turn comes: the refusal its arrival got, or, for a request, the bound on
     * asynchronous requests in flight.
     *
     * @return the refusal, or {@code null} to go on
     */
    private static Refusal limits(Inbox inbox, Inbound inbound, Refusal atArrival) {
        if (atArrival != null || inbox == null) {
            return atArrival;
        }
        return inbound instanceof Inbound.Valid && inbox.limiter.asyncFull() ? Refusal.ASYNC : null;
    }

    /**
     * The limits counted when a frame arrives, so that a client is never refused because the server was slow to get
     * to it: the session's token bucket, then its address's budget.
     */
    private static Refusal atArrival(Inbox inbox, long now) {
        RequestLimiter.Kind kind = !inbox.limiter.tryAcquire(now) ? RequestLimiter.Kind.RATE
                : inbox.budget != null && !inbox.budget.take(now) ? RequestLimiter.Kind.ADDRESS : null;
        return kind == null ? null : new Refusal(kind, inbox.limiter.violation(now));
    }

    /** Answers a refused frame 429, and closes the session when it was one refusal too many. */
    private void refuse(SessionState session, Inbox inbox, Inbound inbound, Refusal refusal) {
        String cmd = inbound instanceof Inbound.Valid call ? call.request().cmd() : ((Inbound.Invalid) inbound).cmd();
        String seqno = inbound instanceof Inbound.Valid call ? call.request().seqno()
                : ((Inbound.Invalid) inbound).seqno();
        if (inbox.limiter.firstTime(refusal.kind())) {
            warnRefused(inbox, refusal.kind(), cmd);
        }
        if (observer != null) {
            observer.limitRefused(observed(refusal.kind()));
        }
        if (!refusal.closeAfter()) {
            send(session, session.sender(), tooMany(cmd, seqno), inbound.binary(), 0);
            return;
        }
        CompletableFuture<Void> sent = session.sender().send(encode(session, tooMany(cmd, seqno), 0),
                inbound.binary());
        if (observer != null) {
            observer.limitRefused(WsrvObserver.Limit.CLOSE);
        }
        LIMITS.warning(() -> LogText.request(session.id(), cmd) + ": closed with 1008: "
                + limits.violationsBeforeClose() + " requests refused for its rate within 10 s");
        // after the last 429 is written: closing now would drop the replies still queued
        sent.whenComplete((ok, error) ->
                session.sender().close(CloseCodes.POLICY_VIOLATION, Status.TOO_MANY_REQUESTS_MSG));
    }

    private void warnRefused(Inbox inbox, RequestLimiter.Kind kind, String cmd) {
        if (kind == RequestLimiter.Kind.RATE) {
            LIMITS.warning(() -> LogText.request(inbox.session.id(), cmd) + ": over its request rate ("
                    + limits.requestsPerSecond() + "/s, burst " + limits.requestBurst()
                    + "), answering 429; this is the first refused");
        } else if (kind == RequestLimiter.Kind.ADDRESS) {
            LIMITS.warning(() -> LogText.request(inbox.session.id(), cmd) + ": its address "
                    + LogText.safe(inbox.budget.address()) + " is over its request budget ("
                    + limits.requestsPerSecondPerAddress() + "/s, burst " + limits.requestBurstPerAddress()
                    + "), answering 429; this is the first refused");
        } else {
            LIMITS.warning(() -> LogText.request(inbox.session.id(), cmd) + ": " + limits.asyncInFlight()
                    + " asynchronous requests in flight, the limit; answering 429; this is the first refused");
        }
    }

    /** Answers an invalid frame 400; a frame whose data broke a limit on its shape is logged once per session. */
    private void invalid(SessionState session, Inbox inbox, Inbound.Invalid bad) {
        if (bad.limit() != null && inbox != null) {
            RequestLimiter.Kind kind = bad.limit() == Inbound.DataLimit.DEPTH
                    ? RequestLimiter.Kind.DEPTH : RequestLimiter.Kind.KEYS;
            if (inbox.limiter.firstTime(kind)) {
                LIMITS.warning(() -> LogText.request(inbox.session.id(), bad.cmd()) + ": answering 400: "
                        + bad.reason());
            }
            if (observer != null) {
                observer.shapeRefused(observed(kind));
            }
        } else {
            LOG.fine(() -> LogText.request(session.id(), bad.cmd()) + ": bad request (" + bad.reason() + ")");
        }
        send(session, session.sender(),
                new Reply(bad.cmd(), bad.seqno(), Status.BAD_REQUEST, Status.BAD_REQUEST_MSG, null), bad.binary(), 0);
    }

    private static Reply tooMany(String cmd, String seqno) {
        return new Reply(cmd, seqno, Status.TOO_MANY_REQUESTS, Status.TOO_MANY_REQUESTS_MSG, null);
    }

    private void run(SessionState session, RequestLimiter limiter, Inbound.Valid call) {
        // the reply goes to the connection the request came on: a resumed session's new connection never gets it
        SessionSender to = session.sender();
        long started = observer == null ? 0 : System.nanoTime();
        RequestContext ctx = new RequestContext(services, session, call.request(), call.data(),
                table.chainFor(call.request().cmd()));
        ctx.next();
        CompletionStage<?> pending = ctx.pending();
        if (pending == null) {
            send(session, to, ctx.finalReply(), call.binary(), started);
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
            send(session, to, ctx.finalReply(), call.binary(), started);
        });
    }

    /** Sends a reply nobody waits for; {@link SessionSender#reply} logs one that cannot be written. */
    private void send(SessionState session, SessionSender to, Reply reply, boolean binary, long started) {
        to.reply(encode(session, reply, started), binary, reply.cmd());
    }

    /**
     * Encodes a reply, and tells the observer.
     *
     * @param started when the request's turn came, in {@link System#nanoTime()} units; 0 for a refusal
     */
    private String encode(SessionState session, Reply reply, long started) {
        String text;
        Reply sent = reply;
        try {
            text = ReplyEncoder.toJson(reply);
        } catch (RuntimeException e) {
            // the handler's data cannot be serialised: that is the handler's fault, answered like any other
            sent = services.errors().toReply(e, reply.cmd(), reply.seqno(), session.id());
            text = ReplyEncoder.toJson(sent);
        }
        if (observer != null) {
            observed(session, sent, started);
        }
        return text;
    }

    private void observed(SessionState session, Reply reply, long started) {
        String cmd = reply.cmd();
        AdmissionTicket admitted = session.admitted();
        observer.requestDone(new RequestDone(session.id(), session.user(),
                admitted == null ? null : admitted.traceparent(), cmd, table.commands().contains(cmd),
                reply.status(), started == 0 ? 0 : System.nanoTime() - started));
    }

    private static WsrvObserver.Limit observed(RequestLimiter.Kind kind) {
        return switch (kind) {
            case RATE -> WsrvObserver.Limit.RATE;
            case ADDRESS -> WsrvObserver.Limit.ADDRESS;
            case RATE_CLOSE -> WsrvObserver.Limit.CLOSE;
            case ASYNC -> WsrvObserver.Limit.ASYNC;
            case DEPTH -> WsrvObserver.Limit.DEPTH;
            case KEYS -> WsrvObserver.Limit.KEYS;
        };
    }
}
