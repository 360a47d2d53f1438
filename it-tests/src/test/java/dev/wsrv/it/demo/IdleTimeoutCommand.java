package dev.wsrv.it.demo;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.runtime.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The command {@code maxIdleTimeout}, which answers what the container's session reports from
 * {@code Session.getMaxIdleTimeout()}. Only in the servers {@link IdleBackstopTest} and {@code IdleTimeoutTest} start.
 */
@ApplicationScoped
public class IdleTimeoutCommand {

    @Inject
    SessionRegistry registry;

    /** Creates the bean; CDI calls this. */
    public IdleTimeoutCommand() {
    }

    /**
     * Answers the session's idle timeout as the container has it.
     *
     * @param ctx the request
     * @return {@code {"ms": TIMEOUT}}
     */
    @Command("maxIdleTimeout")
    public Map<String, Object> maxIdleTimeout(Context ctx) {
        return Map.of("ms", registry.get(ctx.sessionId()).session().getMaxIdleTimeout());
    }
}
