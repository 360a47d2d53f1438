package dev.wsrv.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The push, session, close and error listeners of one client, and the one event thread that runs them, in the order the
 * events happened and never two at once. Thread-safe.
 */
final class Listeners {

    private static final System.Logger LOG = System.getLogger(WsrvClient.class.getName());
    private static final String ALL = "*";
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String where;
    /** One thread at most, created on demand: listeners run in order and never concurrently. */
    private final ExecutorService events;
    private final Map<String, List<Registration<Push>>> pushListeners = new ConcurrentHashMap<>();
    private final List<Registration<CloseEvent>> closeListeners = new CopyOnWriteArrayList<>();
    private final List<Registration<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final List<Registration<SessionEvent>> sessionListeners = new CopyOnWriteArrayList<>();

    /** @param where the client's endpoint, for log lines */
    Listeners(String where) {
        this.where = where;
        this.events = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                ClientThreads.daemonThreads("wsrv-client-" + CLIENTS.incrementAndGet() + "-events", false));
    }

    Subscription onPush(String cmd, Consumer<Push> listener) {
        Objects.requireNonNull(cmd, "cmd");
        return add(pushListeners.computeIfAbsent(cmd, k -> new CopyOnWriteArrayList<>()), listener);
    }

    Subscription onClose(Consumer<CloseEvent> listener) {
        return add(closeListeners, listener);
    }

    Subscription onError(Consumer<Throwable> listener) {
        return add(errorListeners, listener);
    }

    Subscription onSession(Consumer<SessionEvent> listener) {
        return add(sessionListeners, listener);
    }

    void session(SessionEvent event) {
        run(() -> callAll(sessionListeners, event));
    }

    private static <E> Subscription add(List<Registration<E>> list, Consumer<E> listener) {
        Objects.requireNonNull(listener, "listener");
        Registration<E> r = new Registration<>(listener);
        list.add(r);
        return () -> list.remove(r);
    }

    /** The listeners of the push's command, then the {@code "*"} ones. */
    void push(Push push) {
        run(() -> {
            for (String key : ALL.equals(push.cmd()) ? new String[] {ALL} : new String[] {push.cmd(), ALL}) {
                callAll(pushListeners.get(key), push);
            }
        });
    }

    void close(CloseEvent event) {
        run(() -> callAll(closeListeners, event));
    }

    void error(Throwable error) {
        run(() -> reportError(error));
    }

    /** Runs a task on the event thread, after the events before it. */
    void run(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "wsrv client: event dropped after shutdown");
        }
    }

    private <E> void callAll(List<Registration<E>> list, E event) {
        if (list == null) {
            return;
        }
        for (Registration<E> r : list) {
            try {
                r.listener.accept(event);
            } catch (RuntimeException | Error e) {
                reportError(e);
            }
        }
    }

    /** On the event thread only: to the error listeners, or to the log when there are none. */
    void reportError(Throwable error) {
        if (errorListeners.isEmpty()) {
            if (error instanceof WsrvConnectionException) {
                // a failed reconnect attempt: expected while the server is down, retried with backoff
                LOG.log(System.Logger.Level.DEBUG, () -> "wsrv client: " + error.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, "wsrv client " + where + ": " + error, error);
            }
            return;
        }
        for (Registration<Throwable> r : errorListeners) {
            try {
                r.listener.accept(error);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "wsrv client: error listener failed", e);
            }
        }
    }

    /** A listener, wrapped so that the same listener subscribed twice is two subscriptions. */
    private static final class Registration<E> {
        final Consumer<E> listener;

        Registration(Consumer<E> listener) {
            this.listener = listener;
        }
    }
}
