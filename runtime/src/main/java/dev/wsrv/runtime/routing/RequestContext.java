package dev.wsrv.runtime.routing;

import dev.wsrv.Context;
import dev.wsrv.PushResult;
import dev.wsrv.Reply;
import dev.wsrv.Request;
import dev.wsrv.Status;
import dev.wsrv.WsException;
import dev.wsrv.runtime.codec.RawData;
import dev.wsrv.runtime.session.SessionState;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The {@link Context} of one request: the chain's cursor and the response being built.
 *
 * <p>Confined to the thread that runs the chain, except that an asynchronous handler's completion sets the
 * response once on another thread, after the chain has returned.
 */
final class RequestContext implements Context {

    private final RequestServices services;
    private final SessionState session;
    private final Request request;
    private final RawData data;
    private final Step[] steps;
    private int index;
    private boolean aborted;
    private Reply response;
    private CompletionStage<?> pending;

    RequestContext(RequestServices services, SessionState session, Request request, RawData data, Chain chain) {
        this.services = services;
        this.session = session;
        this.request = request;
        this.data = data;
        this.steps = chain.steps();
    }

    @Override
    public String cmd() {
        return request.cmd();
    }

    @Override
    public String seqno() {
        return request.seqno();
    }

    @Override
    public String sessionId() {
        return session.id();
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(session.principal());
    }

    @Override
    public JsonValue data() {
        return request.data();
    }

    @Override
    public <T> T bind(Class<T> type) {
        return services.binder().bind(request, data, type);
    }

    @Override
    public <T> T bind(Type type) {
        return services.binder().bind(request, data, type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        return (T) session.session().getUserProperties().get(checkKey(key));
    }

    @Override
    public void set(String key, Object value) {
        if (value == null) {
            remove(key);
        } else {
            session.session().getUserProperties().put(checkKey(key), value);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T remove(String key) {
        return (T) session.session().getUserProperties().remove(checkKey(key));
    }

    private static String checkKey(String key) {
        if (key.startsWith("dev.wsrv.")) {
            throw new IllegalArgumentException("attribute names starting with dev.wsrv. are reserved: " + key);
        }
        return key;
    }

    @Override
    public void ok() {
        ok(null);
    }

    @Override
    public void ok(Object data) {
        response = Reply.ok(request.cmd(), request.seqno(), data);
    }

    @Override
    public void error(int status, String msg) {
        error(status, msg, null);
    }

    @Override
    public void error(int status, String msg, Object data) {
        if (status == Status.OK) {
            throw new IllegalArgumentException("an error needs a non-zero status; use ok()");
        }
        response = new Reply(request.cmd(), request.seqno(), status, msg, data);
    }

    @Override
    public Reply response() {
        return response;
    }

    @Override
    public void next() {
        while (index < steps.length && !aborted) {
            Step step = steps[index++];
            try {
                step.run(this);
            } catch (Throwable t) {
                fail(t);
                return;
            }
        }
    }

    @Override
    public void abort() {
        aborted = true;
    }

    @Override
    public void abort(int status, String msg) {
        aborted = true;
        response = new Reply(request.cmd(), request.seqno(), status, msg, null);
    }

    @Override
    public boolean isAborted() {
        return aborted;
    }

    @Override
    public CompletionStage<PushResult> push(String cmd, Object data) {
        return services.pusher().pushTo(session, cmd, data);
    }

    @Override
    public void bindUser(String userId) {
        services.registry().bindUser(session, java.util.Objects.requireNonNull(userId, "userId"));
    }

    @Override
    public Optional<String> user() {
        return Optional.ofNullable(session.user());
    }

    @Override
    public void join(String group) {
        services.registry().join(session, java.util.Objects.requireNonNull(group, "group"));
    }

    @Override
    public void leave(String group) {
        services.registry().leave(session, java.util.Objects.requireNonNull(group, "group"));
    }

    /** Turns a failure of the chain into the response and stops the chain. */
    void fail(Throwable t) {
        aborted = true;
        response = services.errors().toReply(t, this);
    }

    /** Takes the value an annotated handler returned. */
    void returned(Object value) {
        if (value instanceof CompletionStage<?> stage) {
            pending = stage;
        } else if (response == null) {
            ok(value);
        }
    }

    /** Takes the value an asynchronous handler completed with. */
    void completed(Object value, Throwable error) {
        if (error != null) {
            fail(error);
        } else if (response == null) {
            ok(value);
        }
    }

    CompletionStage<?> pending() {
        return pending;
    }

    /** The response to send: the one set, or {@code -1 not implement} when nothing answered. */
    Reply finalReply() {
        return response != null ? response
                : new Reply(request.cmd(), request.seqno(), Status.NOT_IMPLEMENTED, Status.NOT_IMPLEMENTED_MSG, null);
    }

    static WsException invalid(Object problems) {
        return new WsException(Status.INVALID_DATA, Status.INVALID_DATA_MSG, problems);
    }
}
