package dev.wsrv.runtime.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The numbered pushes of one resumable session (docs/protocol.md#push-seqno): each push gets the next number, is
 * kept for a resume within the bounds, and goes to the attached connection if there is one. Appends, attach and
 * detach hold the log's lock, so a replay and the live pushes after it reach the connection in order, each once.
 * Thread-safe.
 */
final class PushLog {

    /** What became of one push for this session. */
    enum Outcome { SENT, BUFFERED, FULL, ENDED }

    /** {@link #attach} could not replay: a push after the client's last one is no longer kept. */
    static final int EVICTED = -1;
    /** {@link #attach} could not replay: the log ended meanwhile. */
    static final int GONE = -2;

    private record Entry(long n, PushEnvelope push, long weight) {
    }

    /**
     * One kept push, as a log hands it to another node.
     *
     * @param n its number in the session
     * @param push the push
     */
    record Kept(long n, PushEnvelope push) {
    }

    /**
     * What {@link #handOver} found.
     *
     * @param status 0, {@link #EVICTED} or {@link #GONE}
     * @param next the number the next push gets
     * @param after the kept pushes after the client's last one, in order
     * @param seqnos the seqnos each kept push was encoded with, the history before the client's last one included
     */
    record HandOver(int status, long next, List<Kept> after, List<String> seqnos) {
    }

    private final String prefix;
    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong nodeBytes;
    private final long nodeMax;
    private final ArrayDeque<Entry> ring = new ArrayDeque<>();
    private long next = 1;
    private long bytes;
    /** The first number appended since the detach; pushes from it on are what the client has not seen for sure. */
    private long detachedAt;
    private long bytesSinceDetach;
    private SessionSender sender;
    private boolean binary;
    private boolean ended;

    PushLog(String prefix, int maxMessages, long maxBytes, AtomicLong nodeBytes, long nodeMax) {
        this.prefix = prefix;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.nodeBytes = nodeBytes;
        this.nodeMax = nodeMax;
    }

    String prefix() {
        return prefix;
    }

    /**
     * Numbers a push, keeps it and sends it to the attached connection.
     *
     * @param push the push
     * @param sent receives the send's stage when the outcome is {@link Outcome#SENT}
     * @return the outcome; {@link Outcome#FULL} ends the log (the session's recovery ends)
     */
    synchronized Outcome append(PushEnvelope push, CompletableFuture<Void>[] sent) {
        if (ended) {
            return Outcome.ENDED;
        }
        long weight = push.weight();
        boolean keep;
        if (sender == null) {
            // waiting for a resume: everything since the detach must be kept, or the resume cannot be exact
            if (next - detachedAt + 1 > maxMessages || bytesSinceDetach + weight > maxBytes) {
                end();
                return Outcome.FULL;
            }
            while (ring.size() >= maxMessages || bytes + weight > maxBytes) {
                evictOldest();
            }
            if (!reserve(weight, detachedAt)) {
                end();
                return Outcome.FULL;
            }
            bytesSinceDetach += weight;
            keep = true;
        } else {
            while (!ring.isEmpty() && (ring.size() >= maxMessages || bytes + weight > maxBytes)) {
                evictOldest();
            }
            keep = weight <= maxBytes && reserve(weight, next + 1);
        }
        long n = next++;
        if (keep) {
            ring.add(new Entry(n, push, weight));
            bytes += weight;
        } else {
            // the kept pushes must follow each other: a resume needs every one after the client's last
            while (!ring.isEmpty()) {
                evictOldest();
            }
        }
        if (sender == null) {
            return Outcome.BUFFERED;
        }
        sent[0] = sender.send(push.with(prefix, n), binary);
        return Outcome.SENT;
    }

    /**
     * Takes bytes from the node-wide budget; past it, this session's own history makes room, down to {@code
     * keepFrom}.
     *
     * @return {@code true} when the bytes were taken
     */
    private boolean reserve(long weight, long keepFrom) {
        while (nodeBytes.addAndGet(weight) > nodeMax) {
            nodeBytes.addAndGet(-weight);
            if (ring.isEmpty() || ring.peekFirst().n >= keepFrom) {
                return false;
            }
            evictOldest();
        }
        return true;
    }

    private void evictOldest() {
        Entry e = ring.pollFirst();
        bytes -= e.weight;
        nodeBytes.addAndGet(-e.weight);
    }

    /**
     * Attaches a connection: sends the session message first, then every kept push after {@code last}, then live
     * pushes follow.
     *
     * @param to the connection's sender
     * @param asBinary whether pushes go as binary frames
     * @param last the number of the last push the client processed, 0 for none
     * @param sessionMessage builds the session message from the number of pushes replayed
     * @return the number replayed, or {@link #EVICTED} or {@link #GONE}, when nothing was sent
     */
    synchronized int attach(SessionSender to, boolean asBinary, long last, IntFunction<String> sessionMessage) {
        if (ended) {
            return GONE;
        }
        long first = ring.isEmpty() ? next : ring.peekFirst().n;
        if (last < 0 || last >= next) {
            return EVICTED;
        }
        if (last + 1 < first) {
            return EVICTED;
        }
        int replayed = (int) (next - 1 - last);
        to.send(sessionMessage.apply(replayed), false);
        for (Entry e : ring) {
            if (e.n > last) {
                to.send(e.push.with(prefix, e.n), asBinary);
            }
        }
        sender = to;
        binary = asBinary;
        return replayed;
    }

    /**
     * Ends the log because its session moves to another node, and returns what that node needs: every kept push
     * after the client's last one. Its bytes are given back.
     *
     * @param last the number of the last push the client processed, 0 for none
     * @return the pushes, with status {@link #EVICTED} when one after {@code last} is no longer kept (the log ends
     *     all the same), or {@link #GONE} when the log had ended
     */
    synchronized HandOver handOver(long last) {
        if (ended) {
            return new HandOver(GONE, next, List.of(), List.of());
        }
        long first = ring.isEmpty() ? next : ring.peekFirst().n;
        boolean complete = last >= 0 && last < next && last + 1 >= first;
        List<Kept> after = new ArrayList<>();
        List<String> seqnos = new ArrayList<>();
        for (Entry e : ring) {
            seqnos.add(e.push.seqno());
            if (e.n > last) {
                after.add(new Kept(e.n, e.push));
            }
        }
        long n = next;
        end();
        return complete ? new HandOver(0, n, after, seqnos) : new HandOver(EVICTED, n, List.of(), seqnos);
    }

    /**
     * Fills a new, detached log with the pushes of a session that moved here from another node.
     *
     * @param nextNumber the number the next push gets
     * @param kept the pushes the client has not processed, in order
     * @return {@code false} when they do not fit in this node's bounds; the log has ended then
     */
    synchronized boolean restore(long nextNumber, List<Kept> kept) {
        next = nextNumber;
        detachedAt = kept.isEmpty() ? nextNumber : kept.get(0).n;
        for (Kept k : kept) {
            long weight = k.push.weight();
            if (ring.size() >= maxMessages || bytes + weight > maxBytes || !reserve(weight, detachedAt)) {
                end();
                return false;
            }
            ring.add(new Entry(k.n, k.push, weight));
            bytes += weight;
            bytesSinceDetach += weight;
        }
        return true;
    }

    /** Takes the connection away: later pushes are kept for a resume. */
    synchronized void detach() {
        sender = null;
        detachedAt = next;
        bytesSinceDetach = 0;
    }

    /**
     * Ends the log and gives back its bytes.
     *
     * @return {@code true} the first time
     */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        sender = null;
        nodeBytes.addAndGet(-bytes);
        bytes = 0;
        ring.clear();
        return true;
    }

    synchronized boolean attached() {
        return sender != null;
    }

    /**
     * Reads the number from a client's {@code wsrv.last}.
     *
     * @param last the seqno, or {@code null}
     * @return its number when it is one of this session's, 0 for none, -1 for one of this session's that is not a
     *     number
     */
    long number(String last) {
        if (last == null || !last.startsWith(prefix + "-")) {
            return 0;
        }
        try {
            return Long.parseLong(last.substring(prefix.length() + 1), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
