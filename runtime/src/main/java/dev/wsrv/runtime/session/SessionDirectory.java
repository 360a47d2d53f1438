package dev.wsrv.runtime.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Lists and closes sessions for an operator, on every node an implementation can reach. The runtime supplies
 * {@link LocalSessionDirectory}, which answers for this node; a cluster module may supply an alternative that also
 * answers for the other nodes. Implementations are thread-safe.
 */
public interface SessionDirectory {

    /**
     * Returns the id of this node, as {@link Entry#node()} names it.
     *
     * @return the id, never {@code null}
     */
    String node();

    /**
     * Lists sessions, those of this node first.
     *
     * @param user only the sessions bound to this user, or {@code null} for any
     * @param group only the members of this group, or {@code null} for any
     * @param limit the most entries to return, at least 1
     * @return the entries, never {@code null}; completes exceptionally only when no node could be asked
     */
    CompletionStage<List<Entry>> list(String user, String group, int limit);

    /**
     * Lists sessions like {@link #list} and also names the nodes that did not answer in time, so that an operator
     * sees that the list lacks them; {@link #list} leaves them out silently.
     *
     * @param user only the sessions bound to this user, or {@code null} for any
     * @param group only the members of this group, or {@code null} for any
     * @param limit the most entries to return, at least 1
     * @return the entries and the silent nodes, never {@code null}
     */
    default CompletionStage<Listing> listing(String user, String group, int limit) {
        return list(user, group, limit).thenApply(entries -> new Listing(entries, Set.of()));
    }

    /**
     * Closes a session on whichever node holds its connection.
     *
     * @param sessionId the session
     * @param code the close code (docs/protocol.md#close-codes)
     * @param reason the close reason, at most 123 bytes in UTF-8
     * @return {@code true} when a node closed it, {@code false} when no node holds a live connection of that id;
     *     completes exceptionally when no node closed it and a node did not answer in time
     */
    CompletionStage<Boolean> close(String sessionId, int code, String reason);

    /**
     * One session as an operator sees it.
     *
     * @param id the session id
     * @param node the node holding it
     * @param user the bound user, or {@code null}
     * @param groups its groups
     * @param remoteAddress the client's address as the handshake saw it, or {@code null} when unknown
     * @param openedAt when it opened
     * @param detached {@code true} for a resumable session waiting for its client
     * @param queuedMessages messages waiting in its outbound queue
     * @param queuedBytes bytes waiting in its outbound queue
     */
    record Entry(String id, String node, String user, Set<String> groups, String remoteAddress, Instant openedAt,
            boolean detached, int queuedMessages, long queuedBytes) {

        /** Checks the required fields and copies the groups. */
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(openedAt, "openedAt");
            groups = Set.copyOf(groups);
        }
    }

    /**
     * The answer of {@link #listing}.
     *
     * @param entries the sessions of the nodes that answered
     * @param silent the ids of the live nodes that did not answer in time
     */
    record Listing(List<Entry> entries, Set<String> silent) {

        /** Copies both. */
        public Listing {
            entries = List.copyOf(entries);
            silent = Set.copyOf(silent);
        }
    }
}
