package dev.wsrv.runtime.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions open on this node, by id, by user and by group.
 *
 * <p>A session leaves every index in {@link #remove} before its closed event fires. Thread-safe; lookups return
 * copies.
 */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, SessionState> byId = new ConcurrentHashMap<>();
    private final Map<String, Set<SessionState>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<SessionState>> byGroup = new ConcurrentHashMap<>();
    private volatile Watcher watcher;

    /** Creates an empty registry; CDI calls this. */
    public SessionRegistry() {
    }

    /**
     * Registers a new session and gives it an id and a sender.
     *
     * @param session the container's session
     * @param maxMessages the bound of its outbound queue in messages
     * @param maxBytes the bound of its outbound queue in bytes
     * @return its state, also stored in its user properties
     */
    public SessionState register(Session session, int maxMessages, long maxBytes) {
        return register(session, maxMessages, maxBytes, s -> { });
    }

    /**
     * Registers a new session after preparing it, so that no push reaches it before the preparation is done.
     *
     * @param session the container's session
     * @param maxMessages the bound of its outbound queue in messages
     * @param maxBytes the bound of its outbound queue in bytes
     * @param prepare runs on the state before any index holds it
     * @return its state, also stored in its user properties
     */
    SessionState register(Session session, int maxMessages, long maxBytes, java.util.function.Consumer<SessionState>
            prepare) {
        // random 122 bits: unique across restarts and nodes without coordination
        return adopt(UUID.randomUUID().toString(), session, maxMessages, maxBytes, prepare);
    }

    /**
     * Registers a session under an id it already has, one that moved here from another node, after preparing it.
     *
     * @param id the session id
     * @param session the container's session
     * @param maxMessages the bound of its outbound queue in messages
     * @param maxBytes the bound of its outbound queue in bytes
     * @param prepare runs on the state before any index holds it
     * @return its state, also stored in its user properties
     */
    SessionState adopt(String id, Session session, int maxMessages, long maxBytes,
                       java.util.function.Consumer<SessionState> prepare) {
        SessionState state = new SessionState(id, session, new SessionSender(session, id, maxMessages, maxBytes));
        session.getUserProperties().put(SessionState.KEY, state);
        prepare.accept(state);
        byId.put(id, state);
        changed(null, null);
        return state;
    }

    /**
     * Removes a session from every index, once.
     *
     * @param state the session
     * @return {@code true} the first time, {@code false} when it was already removed
     */
    public synchronized boolean remove(SessionState state) {
        if (!state.markCloseHandled()) {
            return false;
        }
        byId.remove(state.id(), state);
        changed(null, null);
        String user = state.user();
        if (user != null) {
            removeFrom(byUser, user, state);
            changed(user, null);
        }
        for (String group : state.groups()) {
            removeFrom(byGroup, group, state);
            changed(null, group);
        }
        return true;
    }

    /**
     * Binds a session to a user, replacing its previous user.
     *
     * @param state the session
     * @param user the user id
     */
    public synchronized void bindUser(SessionState state, String user) {
        String previous = state.user();
        if (previous != null) {
            removeFrom(byUser, previous, state);
            changed(previous, null);
        }
        state.user(user);
        if (byId.get(state.id()) == state) {
            byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(state);
            changed(user, null);
        }
    }

    /**
     * Adds a session to a group.
     *
     * @param state the session
     * @param group the group
     */
    public synchronized void join(SessionState state, String group) {
        if (byId.get(state.id()) == state && state.addGroup(group)) {
            byGroup.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet()).add(state);
            changed(null, group);
        }
    }

    /**
     * Removes a session from a group.
     *
     * @param state the session
     * @param group the group
     */
    public synchronized void leave(SessionState state, String group) {
        if (state.removeGroup(group)) {
            removeFrom(byGroup, group, state);
            changed(null, group);
        }
    }

    /**
     * Sets the one watcher that hears every change of the sessions' count, users and groups, replacing any earlier
     * one; a cluster module's presence uses it.
     *
     * @param w the watcher, or {@code null} for none
     */
    public void watch(Watcher w) {
        watcher = w;
    }

    /**
     * Returns how many sessions are open, without copying them.
     *
     * @return the count
     */
    public int size() {
        return byId.size();
    }

    /**
     * Returns how many sessions a user has.
     *
     * @param user the user id
     * @return the count
     */
    public int sizeOfUser(String user) {
        Set<SessionState> s = byUser.get(user);
        return s == null ? 0 : s.size();
    }

    /**
     * Returns how many members a group has.
     *
     * @param group the group
     * @return the count
     */
    public int sizeOfGroup(String group) {
        Set<SessionState> s = byGroup.get(group);
        return s == null ? 0 : s.size();
    }

    /**
     * Returns how many sessions each user has.
     *
     * @return user id to count, a copy
     */
    public Map<String, Integer> userSizes() {
        return sizes(byUser);
    }

    /**
     * Returns how many members each group has.
     *
     * @return group to count, a copy
     */
    public Map<String, Integer> groupSizes() {
        return sizes(byGroup);
    }

    private static Map<String, Integer> sizes(Map<String, Set<SessionState>> index) {
        Map<String, Integer> sizes = new java.util.HashMap<>();
        index.forEach((k, set) -> {
            if (!set.isEmpty()) {
                sizes.put(k, set.size());
            }
        });
        return sizes;
    }

    private void changed(String user, String group) {
        Watcher w = watcher;
        if (w != null) {
            w.changed(user, group);
        }
    }

    /**
     * Hears that the sessions of this node changed. It is called while the registry holds its lock, so it must only
     * take note (for example mark the key for a later write) and never block or call back into the registry.
     */
    @FunctionalInterface
    public interface Watcher {

        /**
         * Says what changed.
         *
         * @param user a user whose sessions changed, or {@code null}
         * @param group a group whose members changed, or {@code null}; both {@code null}: the number of sessions
         */
        void changed(String user, String group);
    }

    /**
     * Finds a session.
     *
     * @param id the session id
     * @return the session, or {@code null}
     */
    public SessionState get(String id) {
        return byId.get(id);
    }

    /**
     * Returns the sessions of a user.
     *
     * @param user the user id
     * @return a copy
     */
    public List<SessionState> ofUser(String user) {
        return copy(byUser.get(user));
    }

    /**
     * Returns the sessions of a group.
     *
     * @param group the group
     * @return a copy
     */
    public List<SessionState> inGroup(String group) {
        return copy(byGroup.get(group));
    }

    /**
     * Returns every open session.
     *
     * @return a copy
     */
    public List<SessionState> all() {
        return List.copyOf(byId.values());
    }

    private static List<SessionState> copy(Collection<SessionState> states) {
        return states == null ? List.of() : List.copyOf(states);
    }

    private synchronized void removeFrom(Map<String, Set<SessionState>> index, String key, SessionState state) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(state);
            return set.isEmpty() ? null : set;
        });
    }
}
