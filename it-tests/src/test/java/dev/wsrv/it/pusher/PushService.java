package dev.wsrv.it.pusher;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.SessionInfo;
import dev.wsrv.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * An application service that is not a WebSocket endpoint: it pushes through an injected {@link Pusher}, the way a
 * JAX-RS resource, an EJB or a scheduler would, and is called from the tests' own threads.
 */
@ApplicationScoped
public class PushService {

    @Inject
    Pusher pusher;
    @Inject
    Sessions sessions;

    public CompletionStage<PushResult> toSession(String id, String cmd, Object data) {
        return pusher.push(id, cmd, data);
    }

    public CompletionStage<PushResult> toUser(String user, String cmd, Object data) {
        return pusher.pushToUser(user, cmd, data);
    }

    public CompletionStage<PushResult> toGroup(String group, String cmd, Object data) {
        return pusher.pushToGroup(group, cmd, data);
    }

    public CompletionStage<PushResult> toEveryone(String cmd, Object data) {
        return pusher.broadcast(cmd, data);
    }

    public CompletionStage<PushResult> toMatching(String cmd, Object data, Predicate<SessionInfo> filter) {
        return pusher.broadcast(cmd, data, filter);
    }

    public Sessions sessions() {
        return sessions;
    }
}
