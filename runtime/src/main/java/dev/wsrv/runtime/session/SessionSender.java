package dev.wsrv.runtime.session;

import dev.wsrv.CloseCodes;
import dev.wsrv.runtime.LogText;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only write path of one session: responses and pushes from any thread go through its queue.
 *
 * <p>At most one asynchronous send is in flight; the next starts when it completes. Callers only enqueue, so a
 * slow client never blocks them; the order in which one thread enqueues is the order on the wire. When the queue
 * exceeds its bound in messages or bytes the session is closed with {@link CloseCodes#SLOW_CONSUMER}. The session
 * is closed at most once. Thread-safe.
 */
public final class SessionSender {

    private static final Logger LOG = Logger.getLogger(SessionSender.class.getName());

    private final Session session;
    private final String id;
    private final int maxMessages;
    private final long maxBytes;

    /** Also the lock of the fields below it. Small at first: an idle session's queue is empty nearly always. */
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>(2);
    private long queuedBytes;
    private boolean sending;
    /** The message handed to the container and not yet completed; failed on close, see {@link #failQueued}. */
    private Outgoing inFlight;
    /** 0 while open, 1 once closed; set through {@link #CLOSED} (a field, not an object: idle sessions are many). */
    private volatile int closed;
    private volatile CloseReason sentClose;
    /** The kinds of send failure already logged for this session; created at the first. */
    private volatile Set<String> warned;

    private static final VarHandle CLOSED;
    private static final VarHandle HAND_OFF;
    private static final VarHandle REPORTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(SessionSender.class, "closed", int.class);
            HAND_OFF = lookup.findVarHandle(Outgoing.class, "handOff", int.class);
            REPORTED = lookup.findVarHandle(Outgoing.class, "reported", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates the sender of a session.
     *
     * @param session the session
     * @param id the wsrv session id, for logs
     * @param maxMessages the bound of waiting messages
     * @param maxBytes the bound of waiting bytes
     */
    public SessionSender(Session session, String id, int maxMessages, long maxBytes) {
        this.session = session;
        this.id = id;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Enqueues one message.
     *
     * @param text the message's JSON text
     * @param binary send it as a binary frame (UTF-8) instead of a text frame
     * @return completes when the message was written, exceptionally when it could not be (session closed,
     *     write failure, or the session was closed as a slow consumer)
     */
    public CompletableFuture<Void> send(String text, boolean binary) {
        Outgoing out = new Outgoing(text, null, binary, null, 0, null);
        send(out, null);
        return out.done;
    }

    /**
     * Enqueues the reply to a request, in order with every other message, for a caller that does not wait for it:
     * no stage is made, and a reply that cannot be written (session closed, write failure, slow consumer) is logged
     * at FINE with its command.
     *
     * @param text the reply's JSON text
     * @param binary send it as a binary frame (UTF-8) instead of a text frame
     * @param cmd the command it answers, for the log
     */
    public void reply(String text, boolean binary, String cmd) {
        send(new Outgoing(text, null, binary, null, 0, cmd), null);
    }

    /**
     * Hears the outcome of each session's message of a push to many sessions, in place of a future per session.
     */
    interface PushOutcome {
        /**
         * Called once per message, on any thread.
         *
         * @param index the number the push gave the message
         * @param error {@code null} when written, else why not
         */
        void sent(int index, Throwable error);
    }

    /**
     * Enqueues one message of a push to many sessions, whose frame bytes are shared by all of them, and leaves the
     * first write to the caller: when this call would have started writing, the sender is added to {@code starts}
     * and the caller must call {@link #startSending()} on it once, on any thread. The message's place in the queue is
     * taken now, so the order of one thread's messages holds whichever thread writes.
     *
     * @param text the message's JSON text
     * @param utf8 the text's UTF-8 bytes when sent as a binary frame, shared and never changed; {@code null} for text
     * @param starts collects the senders whose writing the caller must start
     * @param outcome hears whether the message was written, as {@link #send(String, boolean)}'s future would complete
     * @param index the number {@code outcome} hears it by
     */
    void sendShared(String text, byte[] utf8, List<SessionSender> starts, PushOutcome outcome, int index) {
        send(new Outgoing(text, utf8, utf8 != null, outcome, index, null), starts);
    }

    /** Writes what is queued; only for a sender that {@link #sendShared} handed to its caller to start. */
    void startSending() {
        pump();
    }

    private void send(Outgoing out, List<SessionSender> starts) {
        if (closed != 0) {
            out.finish(new IOException("session closed"));
            return;
        }
        boolean start;
        boolean overflow = false;
        synchronized (queue) {
            if (queue.size() >= maxMessages || queuedBytes + out.bytes > maxBytes) {
                overflow = true;
                start = false;
            } else {
                queue.add(out);
                queuedBytes += out.bytes;
                start = !sending;
                sending |= start;
            }
        }
        if (overflow) {
            out.finish(new IOException("slow consumer: outbound queue full"));
            if (CLOSED.compareAndSet(this, 0, 1)) {
                LOG.warning(() -> LogText.session(id) + ": closed as a slow consumer (1013): more than " + maxMessages
                        + " messages or " + maxBytes + " bytes waiting to be sent");
                failQueued();
                // the container's close path runs the SessionClosed observers: not on the pusher's thread
                CompletableFuture.runAsync(() -> closeSession(CloseCodes.SLOW_CONSUMER, "slow consumer"));
            }
            return;
        }
        if (start) {
            if (starts == null) {
                pump();
            } else {
                starts.add(this);
            }
        }
    }

    /**
     * Counts the messages waiting in the queue, not yet handed to the container.
     *
     * @return the count
     */
    public int queuedMessages() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /**
     * Counts the bytes of the messages waiting in the queue, not yet handed to the container.
     *
     * @return the count
     */
    public long queuedBytes() {
        synchronized (queue) {
            return queuedBytes;
        }
    }

    /**
     * Tells whether the session was closed through this sender or its container.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed != 0 || !session.isOpen();
    }

    /**
     * Closes the session once; later calls do nothing. Messages still queued fail.
     *
     * @param code the close code
     * @param reason the close reason (at most 123 bytes)
     */
    public void close(int code, String reason) {
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        sentClose = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
        failQueued();
        closeSession(code, reason);
    }

    private void closeSession(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (Throwable e) {
            LOG.log(Level.FINE, e, () -> LogText.session(id) + ": close failed");
        }
    }

    /**
     * Returns the close this sender sent, when the server closed the session.
     *
     * @return the code and reason sent, or {@code null} when the server did not close it through this sender
     */
    public CloseReason sentClose() {
        return sentClose;
    }

    /** Marks the sender closed after the container closed the session, failing what is still queued. */
    public void closedByContainer() {
        closed = 1;
        failQueued();
    }

    private void failQueued() {
        ArrayDeque<Outgoing> left;
        synchronized (queue) {
            left = new ArrayDeque<>(queue);
            queue.clear();
            queuedBytes = 0;
            // a write the client never reads (slow consumer) may never complete in the container: its outcome is
            // decided now, or its stage (and that of a whole broadcast) would stay pending for ever; a later
            // completion by the container does nothing
            if (inFlight != null) {
                left.addFirst(inFlight);
                inFlight = null;
            }
        }
        IOException e = new IOException("session closed");
        left.forEach(o -> o.finish(e));
    }

    /**
     * Sends queued messages one at a time. A completion that arrives on the sending thread (the container wrote at
     * once) hands control back to the loop instead of recursing; one that arrives later restarts the loop on the
     * completing thread. Whichever of the two reaches the hand-off second continues.
     *
     * <p>Whatever the container throws for one message (Tyrus throws an {@link Error} for text it cannot encode)
     * fails that message only: the loop goes on with the next, so that one bad message never wedges the session.
     */
    private void pump() {
        while (true) {
            Outgoing out;
            synchronized (queue) {
                out = queue.poll();
                if (out == null) {
                    sending = false;
                    return;
                }
                queuedBytes -= out.bytes;
                inFlight = out;
            }
            if (closed != 0) {
                landed(out);
                out.finish(new IOException("session closed"));
                continue;
            }
            try {
                RemoteEndpoint.Async remote = session.getAsyncRemote();
                if (out.binary) {
                    remote.sendBinary(ByteBuffer.wrap(out.utf8 != null ? out.utf8
                            : out.text.getBytes(StandardCharsets.UTF_8)), out);
                } else {
                    remote.sendText(out.text, out);
                }
            } catch (Throwable e) {
                // the loop goes on either way; a completion that still comes for this message must not start a
                // second loop
                out.handOff = ABANDONED;
                landed(out);
                out.finish(e);
                warnOnce(e);
                continue;
            }
            if (HAND_OFF.compareAndSet(out, PENDING, LOOP_LEFT)) {
                return;
            }
        }
    }

    /** The hand-off between the loop and a send's completion: neither has reached it yet. */
    private static final int PENDING = 0;
    /** The completion came first, on the sending thread: the loop continues. */
    private static final int COMPLETED = 1;
    /** The loop returned: the completion continues it. */
    private static final int LOOP_LEFT = 2;
    /** The send threw: the loop went on, and a late completion does nothing. */
    private static final int ABANDONED = 3;

    /** Logs a send the container refused by throwing, once per session and kind of failure, on one line. */
    private void warnOnce(Throwable e) {
        Set<String> kinds = warned;
        if (kinds == null) {
            synchronized (queue) {
                kinds = warned;
                if (kinds == null) {
                    kinds = ConcurrentHashMap.newKeySet();
                    warned = kinds;
                }
            }
        }
        if (kinds.add(e.getClass().getName())) {
            LOG.warning(() -> LogText.session(id) + ": the container could not send a message and threw "
                    + LogText.safe(String.valueOf(e)) + "; that message is dropped and the session goes on"
                    + " (logged once per session and kind)");
        }
    }

    private void complete(Outgoing out, SendResult result) {
        landed(out);
        if (result.isOK()) {
            out.finish(null);
        } else {
            out.finish(result.getException() == null
                    ? new IOException("send failed") : result.getException());
        }
    }

    /** The container is done with a message (or never got it): it is no longer in flight. */
    private void landed(Outgoing out) {
        synchronized (queue) {
            if (inFlight == out) {
                inFlight = null;
            }
        }
    }

    /**
     * One queued message; it is also the container's completion handler of its own send, so that a message costs no
     * further objects on its way out.
     */
    private final class Outgoing implements SendHandler {
        final String text;
        /** A binary message's UTF-8 bytes, shared by every session of one push; {@code null} to encode when sent. */
        final byte[] utf8;
        final boolean binary;
        /** Its weight against the byte bound, computed once: 2 per char for text (its size in memory), 1 for binary. */
        final long bytes;
        /**
         * Completes with the send; {@code null} for a message of a push to many, which tells {@link #outcome}, and
         * for a reply, which nobody waits for.
         */
        final CompletableFuture<Void> done;
        final PushOutcome outcome;
        final int index;
        /** The command a reply answers, for the log; {@code null} for any other message. */
        final String replyTo;
        /** The hand-off between the sending loop and this send's completion, PENDING at first; through {@link #HAND_OFF}. */
        volatile int handOff;
        /** Whether {@link #outcome} heard of it; changed through {@link #REPORTED}. */
        volatile boolean reported;

        Outgoing(String text, byte[] utf8, boolean binary, PushOutcome outcome, int index, String replyTo) {
            this.text = text;
            this.utf8 = utf8;
            this.binary = binary;
            this.bytes = (long) text.length() * (binary ? 1 : 2);
            this.outcome = outcome;
            this.index = index;
            this.replyTo = replyTo;
            this.done = outcome == null && replyTo == null ? new CompletableFuture<>() : null;
        }

        /** Reports the outcome: written when {@code error} is {@code null}; a second report does nothing. */
        void finish(Throwable error) {
            if (done != null) {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(error);
                }
            } else if (outcome != null) {
                if (REPORTED.compareAndSet(this, false, true)) {
                    outcome.sent(index, error);
                }
            } else if (error != null) {
                LOG.log(Level.FINE, () -> LogText.request(id, replyTo) + ": reply not sent: " + error);
            }
        }

        @Override
        public void onResult(SendResult result) {
            complete(this, result);
            // the loop moves the hand-off only away from PENDING, and only once: when it is not PENDING, it is final
            if (!HAND_OFF.compareAndSet(this, PENDING, COMPLETED) && handOff == LOOP_LEFT) {
                pump();
            }
        }
    }
}
