package dev.wsrv.embedded;

import dev.wsrv.Command;
import dev.wsrv.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Shutdown;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/** Records the CDI lifecycle events the embedded server fires, in order. */
@ApplicationScoped
public class LifecycleBean {

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Inject PerRequest perRequest;

    /** A request-scoped bean: its id tells whether two calls share a request context. */
    @RequestScoped
    public static class PerRequest {
        final String id = java.util.UUID.randomUUID().toString();

        String id() {
            return id;
        }
    }

    void initialized(@Observes @Initialized(ApplicationScoped.class) Object event) {
        EVENTS.add("Initialized(ApplicationScoped)");
    }

    void startup(@Observes Startup event) {
        EVENTS.add("Startup");
    }

    @PostConstruct
    void created() {
        EVENTS.add("PostConstruct");
    }

    @Command("request-scope")
    @ActivateRequestContext
    public String requestScope(Context ctx) {
        return perRequest.id();
    }

    void shutdown(@Observes Shutdown event) {
        EVENTS.add("Shutdown");
        Logger.getLogger(LifecycleBean.class.getName()).info("application shutting down");
    }

    void beforeDestroyed(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        EVENTS.add("BeforeDestroyed(ApplicationScoped)");
    }

    @PreDestroy
    void destroyed() {
        EVENTS.add("PreDestroy");
        Logger.getLogger(LifecycleBean.class.getName()).info("application bean destroyed");
    }
}
