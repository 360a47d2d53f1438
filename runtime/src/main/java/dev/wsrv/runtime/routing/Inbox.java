package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.codec.Frame;
import dev.wsrv.runtime.session.SessionState;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * One session's requests waiting for a worker, and its request limits. The container's thread that reads a frame
 * only decides on it (the limits count at its arrival) and appends it here; a worker runs the frames in order, one at a
 * time, in turns (see {@link Workers}). So a session's requests keep their order and never overlap, and a session with
 * a long queue never delays another session's next request by more than one turn of each waiting session.
 *
 * <p>A session whose inbox holds {@link #MAX_WAITING} frames, or {@link #MAX_WAITING_WEIGHT} characters of them,
 * makes the thread that reads its next frame wait until there is room: reading that connection pauses, and its client's
 * writes wait in TCP. Thread-safe.
 */
final class Inbox implements Runnable {

    /** How many frames may wait for a worker before reading the connection pauses. */
    static final int MAX_WAITING = 1_024;
    /** How many characters (bytes for binary frames) may wait before reading the connection pauses. */
    static final long MAX_WAITING_WEIGHT = 1L << 20;

    private static final long WAIT_MILLIS = 100;

    /**
     * A frame waiting to be run: a request or an invalid frame to answer, or, when a limit refused it at its arrival,
     * a 429 to send in its place.
     *
     * @param frame the frame
     * @param refused the limit that refused it at its arrival, or {@code null}
     */
    record Work(Frame frame, Refusal refused) {
    }

    final SessionState session;
    final RequestLimiter limiter;
    /** The budget of the session's address, or {@code null} when addresses are not limited. */
    final AddressBudgets.Budget budget;
    private final Dispatcher dispatcher;
    private final Workers workers;

    private final Object lock = new Object();
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    private long weight;
    private boolean scheduled;
    private boolean closed;
    private int readersWaiting;

    Inbox(SessionState session, RequestLimiter limiter, AddressBudgets.Budget budget, Dispatcher dispatcher,
          Workers workers) {
        this.session = session;
        this.limiter = limiter;
        this.budget = budget;
        this.dispatcher = dispatcher;
        this.workers = workers;
    }

    /**
     * Appends a frame, waiting while the inbox is full; the container's thread that read the frame calls this.
     *
     * @param work the frame
     */
    void add(Work work) {
        boolean start;
        synchronized (lock) {
            while (!closed && !queue.isEmpty() && (queue.size() >= MAX_WAITING || weight >= MAX_WAITING_WEIGHT)) {
                readersWaiting++;
                try {
                    lock.wait(WAIT_MILLIS);
                } catch (InterruptedException e) {
                    // the container wants its thread back: the frame goes in over the bound rather than get lost
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    readersWaiting--;
                }
            }
            if (closed) {
                return;
            }
            queue.add(work);
            weight += work.frame().weight();
            start = !scheduled;
            scheduled = true;
        }
        if (start) {
            askForTurn();
        }
    }

    /** Runs the waiting frames; yields to the back of the line as soon as another session waits for a turn. */
    @Override
    public void run() {
        while (true) {
            Work work;
            synchronized (lock) {
                work = queue.poll();
                if (work == null) {
                    scheduled = false;
                    return;
                }
                weight -= work.frame().weight();
                if (readersWaiting > 0) {
                    lock.notifyAll();
                }
            }
            dispatcher.process(session, this, work);
            if (workers.othersWaiting()) {
                synchronized (lock) {
                    if (queue.isEmpty()) {
                        scheduled = false;
                        return;
                    }
                }
                askForTurn();
                return;
            }
        }
    }

    /** Drops what still waits, when the session has closed; a reader waiting for room goes on. */
    void close() {
        synchronized (lock) {
            closed = true;
            queue.clear();
            weight = 0;
            lock.notifyAll();
        }
    }

    private void askForTurn() {
        try {
            workers.execute(this);
        } catch (RejectedExecutionException e) {
            // the application is stopping and its sessions are being closed: what waits is dropped
            close();
        }
    }
}
