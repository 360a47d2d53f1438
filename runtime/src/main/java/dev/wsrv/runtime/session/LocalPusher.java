package dev.wsrv.runtime.session;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.Reply;
import dev.wsrv.SessionInfo;
import dev.wsrv.runtime.WsrvConfig;
import dev.wsrv.runtime.codec.ReplyEncoder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The {@link Pusher} of a single node: it resolves targets in the {@link SessionRegistry} and enqueues one
 * encoded message on each target's {@link SessionSender}.
 */
@ApplicationScoped
public class LocalPusher implements Pusher {

    private final SessionRegistry registry;
    private final boolean binary;

    /** For CDI proxies only. */
    protected LocalPusher() {
        this.registry = null;
        this.binary = false;
    }

    /**
     * Creates the pusher.
     *
     * @param registry the sessions of this node
     * @param config the settings, for the push frame type
     */
    @Inject
    public LocalPusher(SessionRegistry registry, WsrvConfig config) {
        this.registry = registry;
        this.binary = config.pushFrameType() == WsrvConfig.FrameType.BINARY;
    }

    @Override
    public CompletionStage<PushResult> push(String sessionId, String cmd, Object data) {
        Objects.requireNonNull(sessionId, "sessionId");
        SessionState target = registry.get(sessionId);
        if (target == null) {
            return CompletableFuture.completedFuture(new PushResult(List.of(),
                    List.of(new PushResult.Failure(sessionId, PushResult.NO_SUCH_SESSION))));
        }
        return deliver(List.of(target), cmd, data);
    }

    @Override
    public CompletionStage<PushResult> pushToUser(String userId, String cmd, Object data) {
        Objects.requireNonNull(userId, "userId");
        return deliver(registry.ofUser(userId), cmd, data);
    }

    @Override
    public CompletionStage<PushResult> pushToGroup(String group, String cmd, Object data) {
        Objects.requireNonNull(group, "group");
        return deliver(registry.inGroup(group), cmd, data);
    }

    @Override
    public CompletionStage<PushResult> broadcast(String cmd, Object data) {
        return deliver(registry.all(), cmd, data);
    }

    @Override
    public CompletionStage<PushResult> broadcast(String cmd, Object data, Predicate<SessionInfo> filter) {
        Objects.requireNonNull(filter, "filter");
        List<SessionState> targets = new ArrayList<>();
        for (SessionState s : registry.all()) {
            if (filter.test(s.snapshot())) {
                targets.add(s);
            }
        }
        return deliver(targets, cmd, data);
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
        return deliver(List.of(target), cmd, data);
    }

    private CompletionStage<PushResult> deliver(List<SessionState> targets, String cmd, Object data) {
        Objects.requireNonNull(cmd, "cmd");
        String text;
        try {
            // serialised once, before queueing: later changes to data by the caller cannot leak into the push
            text = ReplyEncoder.toJson(Reply.ok(cmd, PushIds.next(), data));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(new PushResult(List.of(), List.of()));
        }
        CompletableFuture<PushResult> result = new CompletableFuture<>();
        ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<PushResult.Failure> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger left = new AtomicInteger(targets.size());
        for (SessionState target : targets) {
            target.sender().send(text, binary).whenComplete((ok, error) -> {
                if (error == null) {
                    delivered.add(target.id());
                } else {
                    failures.add(new PushResult.Failure(target.id(), reason(error)));
                }
                if (left.decrementAndGet() == 0) {
                    result.complete(new PushResult(new ArrayList<>(delivered), new ArrayList<>(failures)));
                }
            });
        }
        return result;
    }

    private static String reason(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }
}
