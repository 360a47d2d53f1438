package dev.wsrv.runtime.observe;

import dev.wsrv.PushResult;

/**
 * Hears what the runtime does, for meters, traces and consoles: a CDI bean of this type (any scope) is found when the
 * application starts and called on the runtime's threads as things happen. Without such a bean the runtime calls
 * nothing and measures nothing.
 *
 * <p>Every method has an empty default, so that an observer implements only what it needs. The calls come from many
 * threads at once, on the hot path: an implementation must be thread-safe, return quickly, never block and never
 * throw (what it throws is not caught for it). Values passed are never {@code null} unless a method says so.
 */
public interface WsrvObserver {

    /**
     * The runtime started; {@code view} answers the questions a gauge asks (open sessions, queued messages).
     *
     * @param view the live state, thread-safe, valid until the application stops
     */
    default void started(RuntimeView view) {
    }

    /**
     * One request got its reply, handed to the session's sender: every reply counts, a refusal (400, 429) too.
     *
     * @param done the request, its status and how long it took
     */
    default void requestDone(RequestDone done) {
    }

    /**
     * A session opened (not a resumed one, see {@link #sessionResumed}).
     *
     * @param sessionId the session id
     */
    default void sessionOpened(String sessionId) {
    }

    /**
     * A session ended for good.
     *
     * @param sessionId the session id
     * @param closeCode the close code: the server's when it closed the session, else the one the container reports
     */
    default void sessionClosed(String sessionId, int closeCode) {
    }

    /**
     * A resumable session lost its connection and waits for its client (docs/protocol.md#resumable-sessions).
     *
     * @param sessionId the session id
     */
    default void sessionDetached(String sessionId) {
    }

    /**
     * A detached session was resumed on a new connection.
     *
     * @param sessionId the session id
     */
    default void sessionResumed(String sessionId) {
    }

    /**
     * A push finished, with its outcome.
     *
     * @param kind who it was addressed to
     * @param result its outcome
     */
    default void pushed(PushKind kind, PushResult result) {
    }

    /**
     * An upgrade request was refused before any WebSocket traffic.
     *
     * @param status the HTTP status it was answered with (403, 429, 503, the authenticator's 4xx, 500)
     */
    default void handshakeRefused(int status) {
    }

    /**
     * A request was refused by a limit on requests (answered 429), or a session was closed for its refusals (1008).
     *
     * @param limit which limit acted
     */
    default void limitRefused(Limit limit) {
    }

    /**
     * A frame broke a limit on the shape of its data and was answered 400.
     *
     * @param limit {@link Limit#DEPTH} or {@link Limit#KEYS}
     */
    default void shapeRefused(Limit limit) {
    }

    /**
     * The cluster transport handed a push to the other nodes, read one of theirs, or dropped one.
     *
     * @param event what happened
     */
    default void cluster(ClusterEvent event) {
    }

    /**
     * The cluster transport's connection to its broker came up or went down.
     *
     * @param connected {@code true} when connected
     */
    default void clusterConnection(boolean connected) {
    }

    /** Who a push was addressed to. */
    enum PushKind {
        /** One session. */
        SESSION,
        /** Every session of a user. */
        USER,
        /** Every session of a group. */
        GROUP,
        /** Every session, or every session a filter let through. */
        BROADCAST
    }

    /** The limits that refuse requests, docs/protocol.md#limits. */
    enum Limit {
        /** The session's request rate: 429. */
        RATE,
        /** The client address's request budget: 429. */
        ADDRESS,
        /** Asynchronous requests in flight: 429. */
        ASYNC,
        /** Too many refusals in a row: the session is closed with 1008. */
        CLOSE,
        /** The data nests too deep: 400. */
        DEPTH,
        /** An object has too many keys: 400. */
        KEYS
    }

    /** What a cluster transport did with one push. */
    enum ClusterEvent {
        /** Published for the other nodes. */
        PUBLISHED,
        /** Read from another node and delivered here. */
        RECEIVED,
        /** Could not be published, or was read and dropped (unreadable, or lost while this node was away). */
        DROPPED
    }
}
