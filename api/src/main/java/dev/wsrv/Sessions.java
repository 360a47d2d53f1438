package dev.wsrv;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Queries the sessions open on this node; inject it into any CDI bean.
 *
 * <p>Every result is an immutable snapshot: it does not change when sessions open, close or change later.
 * Thread-safe.
 */
public interface Sessions {

    /**
     * Streams a snapshot of every open session.
     *
     * @return the sessions, in no particular order
     */
    Stream<SessionInfo> stream();

    /**
     * Returns the ids of the open sessions.
     *
     * @return the ids
     */
    default Set<String> ids() {
        return stream().map(SessionInfo::id).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns how many sessions are open.
     *
     * @return the count
     */
    default int count() {
        return (int) stream().count();
    }

    /**
     * Returns one session.
     *
     * @param id the session id
     * @return its snapshot, or empty when no such session is open
     */
    default Optional<SessionInfo> find(String id) {
        return stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * Returns the sessions bound to a user.
     *
     * @param userId the user
     * @return the sessions
     */
    default List<SessionInfo> ofUser(String userId) {
        return stream().filter(s -> userId.equals(s.user())).toList();
    }

    /**
     * Returns the members of a group.
     *
     * @param group the group
     * @return the sessions
     */
    default List<SessionInfo> inGroup(String group) {
        return stream().filter(s -> s.groups().contains(group)).toList();
    }
}
