package dev.wsrv.runtime.session;

import dev.wsrv.SessionInfo;
import dev.wsrv.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The {@link Sessions} of this node, answered from the {@link SessionRegistry}; the cluster-wide questions go to the
 * {@link ClusterPresence} bean when a cluster module supplies one.
 */
@ApplicationScoped
public class LocalSessions implements Sessions {

    private final SessionRegistry registry;
    private final Instance<ClusterPresence> presences;

    /** For CDI proxies only. */
    protected LocalSessions() {
        this.registry = null;
        this.presences = null;
    }

    /**
     * Creates the query service.
     *
     * @param registry the sessions of this node
     * @param presences the cluster's presence, when a module provides one; {@code null} for none
     */
    @Inject
    public LocalSessions(SessionRegistry registry, Instance<ClusterPresence> presences) {
        this.registry = registry;
        this.presences = presences;
    }

    private ClusterPresence presence() {
        return presences != null && presences.isResolvable() ? presences.get() : null;
    }

    @Override
    public String node() {
        ClusterPresence p = presence();
        return p != null ? p.node() : LocalSessionDirectory.LOCAL_NODE;
    }

    @Override
    public CompletionStage<Map<String, Integer>> nodesOfUser(String userId) {
        ClusterPresence p = presence();
        if (p != null) {
            return p.nodesOfUser(userId);
        }
        int here = registry.sizeOfUser(userId);
        return CompletableFuture.completedFuture(here == 0 ? Map.of() : Map.of(node(), here));
    }

    @Override
    public CompletionStage<Long> groupSizeInCluster(String group) {
        ClusterPresence p = presence();
        return p != null ? p.groupSize(group) : CompletableFuture.completedFuture((long) registry.sizeOfGroup(group));
    }

    @Override
    public CompletionStage<Long> countInCluster() {
        ClusterPresence p = presence();
        return p != null ? p.sessionCount() : CompletableFuture.completedFuture((long) registry.size());
    }

    @Override
    public Stream<SessionInfo> stream() {
        return registry.all().stream().map(SessionState::snapshot);
    }

    @Override
    public int count() {
        return registry.size();
    }

    @Override
    public Optional<SessionInfo> find(String id) {
        return Optional.ofNullable(registry.get(id)).map(SessionState::snapshot);
    }

    @Override
    public List<SessionInfo> ofUser(String userId) {
        return registry.ofUser(userId).stream().map(SessionState::snapshot).toList();
    }

    @Override
    public List<SessionInfo> inGroup(String group) {
        return registry.inGroup(group).stream().map(SessionState::snapshot).toList();
    }
}
