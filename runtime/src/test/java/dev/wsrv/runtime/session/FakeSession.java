package dev.wsrv.runtime.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Session} whose async remote records what is sent and completes each send either at once on the
 * calling thread or later on another thread, at random, like a real container; it fails the test's contract
 * (throws) if a second send starts while one is in flight. Only the methods the sender uses work.
 */
final class FakeSession implements AutoCloseable {

    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile boolean stalled;
    /** Texts the container cannot send: it throws an {@link Error} for them, as Tyrus does for a lone surrogate. */
    volatile java.util.function.Predicate<String> poisoned = text -> false;
    final List<SendHandler> stalledHandlers = new CopyOnWriteArrayList<>();
    private final ExecutorService completer = Executors.newFixedThreadPool(2);
    private final Map<String, Object> props = new HashMap<>();
    final Session session;

    FakeSession() {
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (p, m, args) -> {
                    if (m.getName().equals("sendText") && args.length == 2) {
                        send((String) args[0], (SendHandler) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getAsyncRemote" -> async;
                    case "isOpen" -> closes.isEmpty();
                    case "getUserProperties" -> props;
                    case "getId" -> "fake";
                    case "close" -> {
                        closes.add(args == null ? null : (CloseReason) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private void send(String text, SendHandler handler) {
        if (poisoned.test(text)) {
            throw new Error(new java.nio.charset.MalformedInputException(1));
        }
        if (inFlight.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
        sent.add(text);
        if (stalled) {
            stalledHandlers.add(handler);
            return;
        }
        if (ThreadLocalRandom.current().nextBoolean()) {
            inFlight.decrementAndGet();
            handler.onResult(new SendResult());
        } else {
            completer.execute(() -> {
                inFlight.decrementAndGet();
                handler.onResult(new SendResult());
            });
        }
    }

    @Override
    public void close() {
        completer.shutdownNow();
    }
}
