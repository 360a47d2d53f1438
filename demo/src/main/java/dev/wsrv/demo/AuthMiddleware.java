package dev.wsrv.demo;

import dev.wsrv.Context;
import dev.wsrv.Middleware;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Lets only {@code register}, {@code whoami}, {@code token} and {@code thread} through until the session has registered a uid. */
@ApplicationScoped
@Priority(200)
public class AuthMiddleware implements Middleware {

    private static final Set<String> OPEN = Set.of("register", "whoami", "token", "thread");

    @Override
    public void handle(Context ctx) {
        if (!OPEN.contains(ctx.cmd()) && ctx.get(UserCommands.UID) == null) {
            ctx.abort(401, "unauthorized");
        }
    }
}
