package dev.wsrv.it.handshake;

import dev.wsrv.Command;
import dev.wsrv.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Principal;
import java.util.Map;

/** Answers with what the handshake attached to the session. */
@ApplicationScoped
public class WhoAmI {

    @Command("whoami")
    public Map<String, Object> whoami(Context ctx) {
        String tenant = ctx.get("tenant");
        String address = ctx.get("address");
        return Map.of("principal", ctx.principal().map(Principal::getName).orElse(""),
                "tenant", tenant == null ? "" : tenant,
                "address", address == null ? "" : address);
    }
}
