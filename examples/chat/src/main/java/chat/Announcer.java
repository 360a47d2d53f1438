package chat;

import dev.wsrv.Pusher;
import dev.wsrv.Sessions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Tells everyone once a minute how many are online: a periodic push, as the README's recipe has it. */
@ApplicationScoped
public class Announcer {

    @Inject Pusher pusher;
    @Inject Sessions sessions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    void start(@Observes Startup event) {
        timer.scheduleAtFixedRate(this::announce, 1, 1, TimeUnit.MINUTES);
    }

    void announce() {
        pusher.broadcast("announcement", Map.of("online", sessions.count()));
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
