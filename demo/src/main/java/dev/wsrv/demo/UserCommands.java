package dev.wsrv.demo;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Pusher;
import dev.wsrv.Status;
import dev.wsrv.WsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;

/** The Go library's example commands {@code register} and {@code userinfo}. */
@ApplicationScoped
public class UserCommands {

    /** The session attribute holding the registered uid. */
    public static final String UID = "uid";

    @Inject
    Pusher pusher;
    @Inject
    DemoTokens tokens;

    /**
     * Registers the session's user, tells every registered session about it, and tells the caller.
     *
     * @param ctx the request
     */
    @Command("register")
    public void register(Context ctx) {
        long uid = positiveUid(ctx.data());
        ctx.set(UID, uid);
        ctx.bindUser(Long.toString(uid));
        Map<String, Object> data = Map.of("uid", uid);
        pusher.broadcast("have_user_register", data, session -> session.user() != null);
        ctx.push("user_register", data);
        ctx.ok();
    }

    /**
     * Answers the registered user's info.
     *
     * @param ctx the request
     * @return {@code {"uid": ..., "name": "user-<uid>"}}
     */
    @Command("userinfo")
    public Map<String, Object> userinfo(Context ctx) {
        long uid = ctx.get(UID);
        return Map.of("uid", uid, "name", "user-" + uid);
    }

    /**
     * Answers who the session was admitted as; open to every session.
     *
     * @param ctx the request
     * @return {@code {"principal": NAME}}, with {@code ""} for an anonymous session
     */
    @Command("whoami")
    public Map<String, Object> whoami(Context ctx) {
        return Map.of("principal", ctx.principal().map(java.security.Principal::getName).orElse(""));
    }

    /**
     * Issues a signed token for a user, to open a session as that user with {@code ?token=...}. It stands in for an
     * application's login, which would check a password or a single sign-on first; what the demo shows is the
     * signature: the authenticator admits only tokens this server signed.
     *
     * @param ctx the request, with {@code {"name": NAME}}
     * @return {@code {"token": TOKEN}}, valid for an hour
     */
    @Command("token")
    public Map<String, Object> token(Context ctx) {
        JsonValue name = ctx.data() instanceof JsonObject o ? o.get("name") : null;
        try {
            return Map.of("token", tokens.issue(name instanceof JsonString s ? s.getString() : null));
        } catch (IllegalArgumentException e) {
            throw new WsException(Status.INVALID_DATA, Status.INVALID_DATA_MSG,
                    List.of(Map.of("path", "name", "message", "must be 1 to 32 letters, digits, - or _")));
        }
    }

    private static long positiveUid(JsonValue data) {
        if (data instanceof JsonObject o && o.get("uid") instanceof JsonNumber n && n.isIntegral()) {
            try {
                long uid = n.longValueExact();
                if (uid > 0) {
                    return uid;
                }
            } catch (ArithmeticException e) {
                // too large for a uid: answered below like any other bad value
            }
        }
        throw new WsException(Status.INVALID_DATA, Status.INVALID_DATA_MSG,
                List.of(Map.of("path", "uid", "message", "must be a positive integer")));
    }
}
