package dev.wsrv.demo;

import dev.wsrv.Context;
import dev.wsrv.Middleware;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/** Lets only {@code register} and {@code whoami} through until the session has registered a uid. */
@ApplicationScoped
@Priority(200)
public class AuthMiddleware implements Middleware {

    @Override
    public void handle(Context ctx) {
        if (!"register".equals(ctx.cmd()) && !"whoami".equals(ctx.cmd()) && ctx.get(UserCommands.UID) == null) {
            ctx.abort(401, "unauthorized");
        }
    }
}
