package dev.wsrv.runtime.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/** The {@link SessionDirectory} of a single node: every answer comes from this node's {@link SessionRegistry}. */
@ApplicationScoped
public class LocalSessionDirectory implements SessionDirectory {

    /** The node id of a server that is not part of a cluster. */
    public static final String LOCAL_NODE = "local";

    private final SessionRegistry registry;

    /** For CDI proxies only. */
    protected LocalSessionDirectory() {
        this.registry = null;
    }

    /**
     * Creates the directory.
     *
     * @param registry the sessions of this node
     */
    @Inject
    public LocalSessionDirectory(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String node() {
        return LOCAL_NODE;
    }

    @Override
    public CompletionStage<List<Entry>> list(String user, String group, int limit) {
        return CompletableFuture.completedFuture(entries(node(), user, group, limit));
    }

    /**
     * Lists this node's sessions under a given node id; a cluster directory calls it for its own part.
     *
     * @param nodeId the id to put in {@link Entry#node()}
     * @param user only the sessions bound to this user, or {@code null} for any
     * @param group only the members of this group, or {@code null} for any
     * @param limit the most entries to return
     * @return the entries
     */
    public List<Entry> entries(String nodeId, String user, String group, int limit) {
        // the group's index answers for the group alone; only a user's sessions still need the group filter
        Stream<SessionState> candidates = user == null
                ? (group != null ? registry.inGroup(group) : registry.all()).stream()
                : registry.ofUser(user).stream().filter(s -> group == null || s.groups().contains(group));
        return candidates
                .limit(Math.max(1, limit))
                .map(s -> entry(nodeId, s))
                .toList();
    }

    @Override
    public CompletionStage<Boolean> close(String sessionId, int code, String reason) {
        return CompletableFuture.completedFuture(closeHere(sessionId, code, reason));
    }

    /**
     * Closes a session of this node; a cluster directory calls it for its own part.
     *
     * @param sessionId the session
     * @param code the close code
     * @param reason the close reason
     * @return {@code true} when this node held a live connection of that id and closed it
     */
    public boolean closeHere(String sessionId, int code, String reason) {
        SessionState state = registry.get(sessionId);
        if (state == null || state.detached() || state.sender().isClosed()) {
            return false;
        }
        state.sender().close(code, reason);
        return true;
    }

    private static Entry entry(String nodeId, SessionState s) {
        SessionSender sender = s.sender();
        String address = s.admitted() != null ? s.admitted().address() : null;
        return new Entry(s.id(), nodeId, s.user(), s.groups(), address, s.openedAt(), s.detached(),
                sender.queuedMessages(), sender.queuedBytes());
    }
}
