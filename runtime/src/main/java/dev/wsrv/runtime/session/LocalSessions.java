package dev.wsrv.runtime.session;

import dev.wsrv.SessionInfo;
import dev.wsrv.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The {@link Sessions} of this node, answered from the {@link SessionRegistry}. */
@ApplicationScoped
public class LocalSessions implements Sessions {

    private final SessionRegistry registry;

    /** For CDI proxies only. */
    protected LocalSessions() {
        this.registry = null;
    }

    /**
     * Creates the query service.
     *
     * @param registry the sessions of this node
     */
    @Inject
    public LocalSessions(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Stream<SessionInfo> stream() {
        return registry.all().stream().map(SessionState::snapshot);
    }

    @Override
    public int count() {
        return registry.all().size();
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
