package dev.wsrv.runtime.routing;

import dev.wsrv.Execution;
import dev.wsrv.runtime.codec.Frame;
import dev.wsrv.runtime.session.SessionState;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * One session's requests waiting for their turn, and its request limits. The container's thread that reads a frame
 * decides on it (the limits count at its arrival) and then either runs it at once, when the session has nothing
 * running or waiting and the frame's mode lets it run on that thread, or appends it here for a thread of its mode: a
 * worker (in turns, see {@link Workers}) or a virtual thread. Whoever runs the session's frames runs them in order,
 * one at a time, and hands the session on when the next frame needs another kind of thread; a non-blocking frame runs
 * on whichever thread has the session. So a session's requests keep their order and never overlap, whatever their
 * modes, and a session with a long queue never delays another session's next request by more than one turn of each
 * waiting session.
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
     * @param mode where it runs
     */
    record Work(Frame frame, Refusal refused, Execution mode) {
    }

    /** The kinds of thread that run a session's frames. */
    private enum Runner { WORKER, VIRTUAL, READER }

    final SessionState session;
    final RequestLimiter limiter;
    /** The budget of the session's address, or {@code null} when addresses are not limited. */
    final AddressBudgets.Budget budget;
    private final Dispatcher dispatcher;
    /** The worker threads, or {@code null} when blocking frames run on the container's threads. */
    private final Workers workers;

    /** Also the lock of the fields below. Two slots at first: most sessions have one frame waiting at a time. */
    private final ArrayDeque<Work> queue = new ArrayDeque<>(1);
    private long weight;
    /** Some thread has the session: it runs a frame, or will run the waiting ones. */
    private boolean busy;
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
     * Runs a frame at once or appends it, waiting while the inbox is full; the container's thread that read the frame
     * calls this.
     *
     * @param work the frame
     */
    void add(Work work) {
        boolean here = false;
        boolean start = false;
        synchronized (queue) {
            while (!closed && !queue.isEmpty() && (queue.size() >= MAX_WAITING || weight >= MAX_WAITING_WEIGHT)) {
                readersWaiting++;
                try {
                    queue.wait(WAIT_MILLIS);
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
            if (!busy && fits(work.mode(), Runner.READER)) {
                here = true;
            } else {
                queue.add(work);
                weight += work.frame().weight();
                start = !busy;
            }
            busy = true;
        }
        if (here) {
            dispatcher.runOnReader(session, this, work);
            handOn(Runner.READER);
        } else if (start) {
            askForTurn(work.mode());
        }
    }

    /** Runs the waiting frames on a worker; yields to the back of the line as soon as another session waits. */
    @Override
    public void run() {
        drain(Runner.WORKER);
    }

    private void drain(Runner runner) {
        while (true) {
            Work work;
            synchronized (queue) {
                work = queue.peek();
                if (work == null) {
                    busy = false;
                    return;
                }
                if (!fits(work.mode(), runner)) {
                    break;
                }
                queue.poll();
                weight -= work.frame().weight();
                if (readersWaiting > 0) {
                    queue.notifyAll();
                }
            }
            if (runner == Runner.READER) {
                dispatcher.runOnReader(session, this, work);
            } else {
                dispatcher.runInTurn(session, this, work);
            }
            if (runner == Runner.WORKER && workers.othersWaiting()) {
                break;
            }
        }
        handOn(runner);
    }

    /**
     * Gives the session to a thread for its next frame, or lets it go when nothing waits.
     *
     * @param from the kind of thread that had it
     */
    private void handOn(Runner from) {
        Execution next;
        synchronized (queue) {
            Work head = queue.peek();
            if (head == null) {
                busy = false;
                return;
            }
            next = head.mode();
        }
        if (from == Runner.READER && fits(next, Runner.READER)) {
            // without workers the reader's thread is the one that may block; a frame queued meanwhile runs here too
            drain(Runner.READER);
        } else {
            askForTurn(next);
        }
    }

    /** Whether a frame of a mode may run on a kind of thread. */
    private boolean fits(Execution mode, Runner runner) {
        return switch (mode) {
            case NON_BLOCKING -> true;
            case BLOCKING -> runner == Runner.WORKER || workers == null;
            case VIRTUAL_THREAD -> runner == Runner.VIRTUAL;
        };
    }

    /** Drops what still waits, when the session has closed; a reader waiting for room goes on. */
    void close() {
        synchronized (queue) {
            closed = true;
            queue.clear();
            weight = 0;
            queue.notifyAll();
        }
    }

    private void runOnVirtualThread() {
        drain(Runner.VIRTUAL);
        dispatcher.leftVirtualThread();
    }

    private void askForTurn(Execution mode) {
        try {
            if (mode == Execution.VIRTUAL_THREAD) {
                // made here rather than held by every session: only sessions with virtual-thread commands need it
                dispatcher.startVirtual(this::runOnVirtualThread);
            } else if (workers != null) {
                workers.execute(this);
            } else {
                drain(Runner.READER);
            }
        } catch (RejectedExecutionException e) {
            // the application is stopping and its sessions are being closed: what waits is dropped
            close();
        }
    }
}
