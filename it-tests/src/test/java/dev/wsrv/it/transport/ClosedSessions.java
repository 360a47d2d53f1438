package dev.wsrv.it.transport;

import dev.wsrv.SessionClosed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link SessionClosed} event, so that a test sees how the server closed a connection. */
@ApplicationScoped
public class ClosedSessions {

    static final List<SessionClosed> CLOSED = new CopyOnWriteArrayList<>();

    void closed(@Observes SessionClosed e) {
        CLOSED.add(e);
    }
}
