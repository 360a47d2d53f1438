package dev.wsrv.runtime.observe;

/**
 * What a gauge reads of the runtime, each call a fresh count over the sessions of this node. Thread-safe.
 */
public interface RuntimeView {

    /**
     * Counts the open sessions, detached resumable ones included.
     *
     * @return the count
     */
    int sessions();

    /**
     * Counts the messages waiting in the sessions' outbound queues.
     *
     * @return the count
     */
    long queuedMessages();

    /**
     * Counts the bytes waiting in the sessions' outbound queues.
     *
     * @return the count
     */
    long queuedBytes();
}
