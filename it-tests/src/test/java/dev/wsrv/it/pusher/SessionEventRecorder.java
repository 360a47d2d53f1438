package dev.wsrv.it.pusher;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionInfo;
import dev.wsrv.SessionOpened;
import dev.wsrv.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Observes the session events and records, at the moment {@link SessionClosed} fires, what the registries and the
 * pusher say about the closed session. The records are static so that they survive the shutdown of the server's
 * CDI container; session ids are random UUIDs, so tests find their own records by id.
 */
@ApplicationScoped
public class SessionEventRecorder {

    /** The groups whose membership is checked when a session closes. */
    static final Set<String> WATCHED_GROUPS = Set.of("room", "g");

    /** What was true when {@link SessionClosed} fired. */
    record ClosedView(SessionClosed event, String thread, boolean stillFound, boolean stillListed,
                      List<String> userSessions, List<String> watchedGroupMembers, PushResult pushAfterClose) {
    }

    static final List<SessionOpened> OPENED = new CopyOnWriteArrayList<>();
    static final List<ClosedView> CLOSED = new CopyOnWriteArrayList<>();

    @Inject
    Sessions sessions;
    @Inject
    Pusher pusher;

    void opened(@Observes SessionOpened e) {
        OPENED.add(e);
    }

    void closed(@Observes SessionClosed e) {
        String id = e.id();
        List<String> userSessions = e.user() == null ? List.of()
                : sessions.ofUser(e.user()).stream().map(SessionInfo::id).toList();
        List<String> groupMembers = WATCHED_GROUPS.stream()
                .flatMap(g -> sessions.inGroup(g).stream()).map(SessionInfo::id).toList();
        PushResult push;
        try {
            push = pusher.push(id, "after_close", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ex) {
            push = new PushResult(List.of(), List.of(new PushResult.Failure(id, "threw " + ex)));
        }
        CLOSED.add(new ClosedView(e, Thread.currentThread().getName(), sessions.find(id).isPresent(),
                sessions.ids().contains(id), userSessions, groupMembers, push));
    }

    static List<SessionOpened> opened(String id) {
        return OPENED.stream().filter(e -> e.id().equals(id)).toList();
    }

    static List<ClosedView> closed(String id) {
        return CLOSED.stream().filter(v -> v.event().id().equals(id)).toList();
    }
}
