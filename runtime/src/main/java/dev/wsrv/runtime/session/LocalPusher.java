package dev.wsrv.runtime.session;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.Reply;
import dev.wsrv.SessionInfo;
import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.codec.ReplyEncoder;
import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.observe.Observers;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.runtime.observe.WsrvObserver.PushKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The {@link Pusher}: it resolves targets in this node's {@link SessionRegistry} and enqueues one encoded message
 * on each target's {@link SessionSender}; when a {@link PushTransport} bean exists it also hands pushes for
 * users, groups, everyone and sessions of other nodes to it. A filtered broadcast stays on this node: a predicate
 * cannot travel.
 */
@ApplicationScoped
public class LocalPusher implements Pusher {

    private static final Logger LOG = Logger.getLogger(LocalPusher.class.getName());

    private final SessionRegistry registry;
    private final boolean binary;
    private final Instance<PushTransport> transports;
    /** Pushes hold it shared; a session moving between nodes holds it alone. */
    private final ReentrantReadWriteLock moves = new ReentrantReadWriteLock();
    /** Hears every push's outcome; {@code null} when nothing observes. */
    private WsrvObserver observer;

    /** For CDI proxies only. */
    protected LocalPusher() {
        this.registry = null;
        this.binary = false;
        this.transports = null;
    }

    /**
     * Creates the pusher.
     *
     * @param registry the sessions of this node
     * @param config the settings, for the push frame type
     * @param transports the cluster transport, when a module provides one; {@code null} for none
     */
    @Inject
    public LocalPusher(SessionRegistry registry, WsrvConfig config, Instance<PushTransport> transports) {
        this.registry = registry;
        this.binary = config.pushFrameType() == WsrvConfig.FrameType.BINARY;
        this.transports = transports;
    }

    @Inject
    void observers(Observers observers) {
        observer = observers.get();
    }

    @Override
    public CompletionStage<PushResult> push(String sessionId, String cmd, Object data) {
        return observed(PushKind.SESSION, pushToId(sessionId, cmd, data));
    }

    private CompletionStage<PushResult> pushToId(String sessionId, String cmd, Object data) {
        Objects.requireNonNull(sessionId, "sessionId");
        return shared(() -> pushToSession(sessionId, cmd, data));
    }

    private CompletionStage<PushResult> pushToSession(String sessionId, String cmd, Object data) {
        SessionState target = registry.get(sessionId);
        if (target != null) {
            // a local session is written directly, never through the transport
            return deliver(List.of(target), cmd, data);
        }
        PushTransport transport = transport();
        if (transport == null) {
            return CompletableFuture.completedFuture(new PushResult(List.of(),
                    List.of(new PushResult.Failure(sessionId, PushResult.NO_SUCH_SESSION))));
        }
        return publishOnly(transport, RemotePush.Target.SESSION, sessionId, cmd, data);
    }

    @Override
    public CompletionStage<PushResult> pushToUser(String userId, String cmd, Object data) {
        Objects.requireNonNull(userId, "userId");
        return observed(PushKind.USER,
                shared(() -> deliverEverywhere(RemotePush.Target.USER, userId, registry.ofUser(userId), cmd, data)));
    }

    @Override
    public CompletionStage<PushResult> pushToGroup(String group, String cmd, Object data) {
        Objects.requireNonNull(group, "group");
        return observed(PushKind.GROUP,
                shared(() -> deliverEverywhere(RemotePush.Target.GROUP, group, registry.inGroup(group), cmd, data)));
    }

    @Override
    public CompletionStage<PushResult> broadcast(String cmd, Object data) {
        return observed(PushKind.BROADCAST,
                shared(() -> deliverEverywhere(RemotePush.Target.ALL, "", registry.all(), cmd, data)));
    }

    @Override
    public CompletionStage<PushResult> broadcast(String cmd, Object data, Predicate<SessionInfo> filter) {
        Objects.requireNonNull(filter, "filter");
        return observed(PushKind.BROADCAST, shared(() -> {
            List<SessionState> targets = new ArrayList<>();
            for (SessionState s : registry.all()) {
                if (filter.test(s.snapshot())) {
                    targets.add(s);
                }
            }
            return deliver(targets, cmd, data);
        }));
    }

    /**
     * Pushes to one session through its own sender; used for {@code ctx.push}.
     *
     * @param target the session
     * @param cmd the command
     * @param data the data
     * @return the outcome
     */
    public CompletionStage<PushResult> pushTo(SessionState target, String cmd, Object data) {
        return observed(PushKind.SESSION, shared(() -> deliver(List.of(target), cmd, data)));
    }

    /**
     * Runs an action while no push of this node is between finding its targets and handing it to them and to the
     * transport: a session that moves to or from another node in the action is either a target of such a push on this
     * node or not, and the transport knows which of the pushes it published this node delivered to it.
     *
     * @param action what to run; it must not block long, every push of the node waits for it
     * @param <T> what it returns
     * @return what the action returned
     */
    public <T> T exclusive(Supplier<T> action) {
        moves.writeLock().lock();
        try {
            return action.get();
        } finally {
            moves.writeLock().unlock();
        }
    }

    private CompletionStage<PushResult> shared(Supplier<CompletionStage<PushResult>> push) {
        moves.readLock().lock();
        try {
            return push.get();
        } finally {
            moves.readLock().unlock();
        }
    }

    /**
     * Delivers a push that another node published to the matching sessions of this node; the cluster transport
     * calls this.
     *
     * @param push the push
     * @return the outcome on this node
     */
    public CompletionStage<PushResult> deliverLocal(RemotePush push) {
        List<SessionState> targets = switch (push.target()) {
            case SESSION -> {
                SessionState s = registry.get(push.key());
                yield s == null ? List.of() : List.of(s);
            }
            case USER -> registry.ofUser(push.key());
            case GROUP -> registry.inGroup(push.key());
            case ALL -> registry.all();
        };
        return write(targets, push.text(), push.binary());
    }

    private CompletionStage<PushResult> observed(PushKind kind, CompletionStage<PushResult> push) {
        WsrvObserver o = observer;
        if (o != null) {
            push.whenComplete((result, error) -> {
                if (result != null) {
                    o.pushed(kind, result);
                }
            });
        }
        return push;
    }

    private PushTransport transport() {
        return transports != null && transports.isResolvable() ? transports.get() : null;
    }

    private CompletionStage<PushResult> deliverEverywhere(RemotePush.Target kind, String key,
                                                          List<SessionState> local, String cmd, Object data) {
        PushTransport transport = transport();
        if (transport == null) {
            return deliver(local, cmd, data);
        }
        String text;
        try {
            text = encode(cmd, data);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletionStage<PushResult> here = write(local, text, binary);
        CompletionStage<PushResult> there = publish(transport, new RemotePush(kind, key, text, binary));
        return here.thenCombine(there, LocalPusher::merge);
    }

    private CompletionStage<PushResult> publishOnly(PushTransport transport, RemotePush.Target kind, String key,
                                                    String cmd, Object data) {
        try {
            return publish(transport, new RemotePush(kind, key, encode(cmd, data), binary));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletionStage<PushResult> publish(PushTransport transport, RemotePush push) {
        CompletionStage<Long> sent;
        try {
            sent = transport.publish(push);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((nodes, error) -> {
            if (error == null) {
                return new PushResult(List.of(), List.of(), nodes == null ? 0 : nodes);
            }
            LOG.warning(() -> "wsrv: push to " + push.target() + " " + LogText.safe(push.key())
                    + " not handed to the other nodes: " + LogText.safe(reason(error)));
            return new PushResult(List.of(), List.of(new PushResult.Failure(PushResult.REMOTE,
                    "cluster transport unavailable: " + reason(error))), 0);
        });
    }

    private static PushResult merge(PushResult a, PushResult b) {
        List<String> delivered = new ArrayList<>(a.delivered());
        delivered.addAll(b.delivered());
        List<String> buffered = new ArrayList<>(a.buffered());
        buffered.addAll(b.buffered());
        List<PushResult.Failure> failures = new ArrayList<>(a.failures());
        failures.addAll(b.failures());
        return new PushResult(delivered, buffered, failures, a.remoteNodes() + b.remoteNodes());
    }

    private static String encode(String cmd, Object data) {
        Objects.requireNonNull(cmd, "cmd");
        // serialised once, before queueing: later changes to data by the caller cannot leak into the push
        return ReplyEncoder.toJson(Reply.ok(cmd, PushIds.next(), data));
    }

    private CompletionStage<PushResult> deliver(List<SessionState> targets, String cmd, Object data) {
        String text;
        try {
            text = encode(cmd, data);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return write(targets, text, binary);
    }

    private CompletionStage<PushResult> write(List<SessionState> targets, String text, boolean binary) {
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(new PushResult(List.of(), List.of()));
        }
        Tally tally = new Tally(targets);
        PushEnvelope envelope = null;
        // one frame for every session: a binary push is encoded to bytes once, not once per session
        byte[] utf8 = binary ? text.getBytes(StandardCharsets.UTF_8) : null;
        FirstWrites firstWrites = new FirstWrites(targets.size());
        int batch = Math.min(FirstWrites.BATCH, targets.size());
        List<SessionSender> starts = new ArrayList<>(batch);
        try {
            for (int i = 0; i < targets.size(); i++) {
                SessionState target = targets.get(i);
                boolean resumable = target.resumable();
                try {
                    if (resumable) {
                        tally.resumable(i);
                        if (envelope == null) {
                            envelope = PushEnvelope.ofAny(text);
                        }
                    }
                    if (resumable && envelope != null) {
                        int index = i;
                        appendTo(target, envelope).whenComplete((ok, error) -> tally.sent(index, error));
                    } else {
                        target.sender().sendShared(text, utf8, starts, tally, i);
                    }
                } catch (Throwable e) {
                    // one recipient's failure is its own: the others still get the message, and the result completes
                    tally.sent(i, e);
                }
                if (starts.size() == FirstWrites.BATCH) {
                    firstWrites.ready(starts);
                    starts = new ArrayList<>(batch);
                }
            }
        } finally {
            // a session whose first write was left to this push is started whatever happened to the others, or it
            // would wait for ever with its queue marked as sending
            firstWrites.ready(starts);
            firstWrites.drain();
        }
        return tally.result;
    }

    /**
     * The outcomes of one push to many sessions, one byte per session rather than a future and a callback each: a
     * broadcast to every session allocates as little per session as it can. Each session's outcome is written once,
     * before the count of those left is lowered; the thread that lowers it to zero reads them all.
     */
    private static final class Tally implements SessionSender.PushOutcome {
        private static final byte RESUMABLE = 1;
        private static final byte DELIVERED = 2;
        private static final byte BUFFERED = 3;
        private static final byte FAILED = 4;

        final CompletableFuture<PushResult> result = new CompletableFuture<>();
        private final List<SessionState> targets;
        private final byte[] outcomes;
        private final ConcurrentLinkedQueue<PushResult.Failure> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger left;

        Tally(List<SessionState> targets) {
            this.targets = targets;
            this.outcomes = new byte[targets.size()];
            this.left = new AtomicInteger(targets.size());
        }

        /** Marks a session that was resumable when the push was queued: a push it could not take is kept. */
        void resumable(int index) {
            outcomes[index] = RESUMABLE;
        }

        @Override
        public void sent(int index, Throwable error) {
            if (error == null) {
                outcomes[index] = DELIVERED;
            } else if (outcomes[index] == RESUMABLE && !(error instanceof BufferFull) && !(error instanceof Ended)) {
                // kept in the session's log: the client gets it when it resumes
                outcomes[index] = BUFFERED;
            } else {
                outcomes[index] = FAILED;
                failures.add(new PushResult.Failure(targets.get(index).id(), reason(error)));
            }
            if (left.decrementAndGet() == 0) {
                List<String> delivered = new ArrayList<>(outcomes.length);
                List<String> buffered = new ArrayList<>();
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] == DELIVERED) {
                        delivered.add(targets.get(i).id());
                    } else if (outcomes[i] == BUFFERED) {
                        buffered.add(targets.get(i).id());
                    }
                }
                result.complete(new PushResult(delivered, buffered, new ArrayList<>(failures), 0));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Void> appendTo(SessionState target, PushEnvelope envelope) {
        CompletableFuture<Void>[] sent = new CompletableFuture[1];
        return switch (Resumption.append(target, envelope, sent)) {
            case SENT -> sent[0];
            case BUFFERED -> CompletableFuture.failedFuture(new BufferedForResume());
            case FULL -> CompletableFuture.failedFuture(new BufferFull());
            case ENDED -> CompletableFuture.failedFuture(new Ended());
        };
    }

    /** Marks a push kept for a session waiting to resume. */
    private static final class BufferedForResume extends Exception {
        BufferedForResume() {
            super("buffered", null, false, false);
        }
    }

    /** Marks a push to a session that ended meanwhile. */
    private static final class Ended extends Exception {
        Ended() {
            super("session closed", null, false, false);
        }
    }

    /** Marks a push that ended a waiting session's recovery. */
    private static final class BufferFull extends Exception {
        BufferFull() {
            super(PushResult.BUFFER_FULL, null, false, false);
        }
    }

    private static String reason(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }
}
