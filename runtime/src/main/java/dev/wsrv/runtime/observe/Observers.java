package dev.wsrv.runtime.observe;

import dev.wsrv.PushResult;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Finds the application's {@link WsrvObserver} beans once, for every part of the runtime that reports to them.
 * Thread-safe.
 */
@ApplicationScoped
public class Observers {

    @Inject
    @Any
    Instance<WsrvObserver> beans;

    private WsrvObserver observer;

    /** Creates the bean; CDI calls this. */
    public Observers() {
    }

    @PostConstruct
    void init() {
        observer = of(beans.stream().toList());
    }

    /**
     * Returns the observer the runtime reports to: the one bean, or one that calls each bean in turn.
     *
     * @return the observer, or {@code null} when the application has none: then nothing is measured, at no cost
     */
    public WsrvObserver get() {
        return observer;
    }

    /**
     * Returns one observer for a list of them.
     *
     * @param all the observers
     * @return {@code null} for none, the one, or one that calls each in turn
     */
    public static WsrvObserver of(List<WsrvObserver> all) {
        return switch (all.size()) {
            case 0 -> null;
            case 1 -> all.get(0);
            default -> new All(List.copyOf(all));
        };
    }

    /** Several observers: each hears every call, in the order CDI listed them. */
    private record All(List<WsrvObserver> each) implements WsrvObserver {

        @Override
        public void started(RuntimeView view) {
            each.forEach(o -> o.started(view));
        }

        @Override
        public void requestDone(RequestDone done) {
            each.forEach(o -> o.requestDone(done));
        }

        @Override
        public void sessionOpened(String sessionId) {
            each.forEach(o -> o.sessionOpened(sessionId));
        }

        @Override
        public void sessionClosed(String sessionId, int closeCode) {
            each.forEach(o -> o.sessionClosed(sessionId, closeCode));
        }

        @Override
        public void sessionDetached(String sessionId) {
            each.forEach(o -> o.sessionDetached(sessionId));
        }

        @Override
        public void sessionResumed(String sessionId) {
            each.forEach(o -> o.sessionResumed(sessionId));
        }

        @Override
        public void pushed(PushKind kind, PushResult result) {
            each.forEach(o -> o.pushed(kind, result));
        }

        @Override
        public void handshakeRefused(int status) {
            each.forEach(o -> o.handshakeRefused(status));
        }

        @Override
        public void limitRefused(Limit limit) {
            each.forEach(o -> o.limitRefused(limit));
        }

        @Override
        public void shapeRefused(Limit limit) {
            each.forEach(o -> o.shapeRefused(limit));
        }

        @Override
        public void cluster(ClusterEvent event) {
            each.forEach(o -> o.cluster(event));
        }

        @Override
        public void clusterConnection(boolean connected) {
            each.forEach(o -> o.clusterConnection(connected));
        }
    }
}
