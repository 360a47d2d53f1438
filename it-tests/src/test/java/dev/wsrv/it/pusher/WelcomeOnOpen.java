package dev.wsrv.it.pusher;

import dev.wsrv.Pusher;
import dev.wsrv.SessionOpened;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;

/** Pushes a welcome message to every new session from its {@code SessionOpened} observer. */
@ApplicationScoped
public class WelcomeOnOpen {

    @Inject
    Pusher pusher;

    void welcome(@Observes SessionOpened e) {
        pusher.push(e.id(), "welcome", Map.of("id", e.id()));
    }
}
