package dev.wsrv.demo;

import dev.wsrv.Command;
import dev.wsrv.CommandData;
import dev.wsrv.Context;
import dev.wsrv.Push;
import dev.wsrv.Pusher;
import dev.wsrv.Status;
import dev.wsrv.WsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;

/**
 * The Go library's example commands {@code register} and {@code userinfo}, and the pushes {@code register} sends,
 * declared for the application's contract.
 */
@ApplicationScoped
@Push(value = "have_user_register", data = UserCommands.Registered.class)
@Push(value = "user_register", data = UserCommands.Registered.class)
public class UserCommands {

    /** The session attribute holding the registered uid. */
    public static final String UID = "uid";

    /**
     * What {@code register} takes. The handler reads {@code data} itself, so that anything but a positive integer
     * {@code uid} gets one message, {@code must be a positive integer}; this record documents it.
     *
     * @param uid the user's id, a positive integer
     */
    public record Register(@NotNull @Positive Long uid) {
    }

    /**
     * The data of the pushes {@code have_user_register} and {@code user_register}.
     *
     * @param uid the registered user's id
     */
    public record Registered(long uid) {
    }

    /**
     * What {@code userinfo} answers.
     *
     * @param uid the session's user id
     * @param name the user's name, {@code user-<uid>}
     */
    public record UserInfo(long uid, String name) {
    }

    /**
     * What {@code token} takes; the handler reads it itself and answers a bad name with its own message.
     *
     * @param name the user: 1 to 32 letters, digits, {@code -} or {@code _}
     */
    public record TokenRequest(@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,32}") String name) {
    }

    /**
     * What {@code token} answers.
     *
     * @param token the signed token, valid for an hour
     */
    public record Token(String token) {
    }

    /**
     * What {@code whoami} answers.
     *
     * @param principal the name the session was admitted as, {@code ""} for an anonymous session
     */
    public record WhoAmI(String principal) {
    }

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
    @CommandData(Register.class)
    public void register(Context ctx) {
        long uid = positiveUid(ctx.data());
        ctx.set(UID, uid);
        ctx.bindUser(Long.toString(uid));
        Registered data = new Registered(uid);
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
    public UserInfo userinfo(Context ctx) {
        long uid = ctx.get(UID);
        return new UserInfo(uid, "user-" + uid);
    }

    /**
     * Answers who the session was admitted as; open to every session.
     *
     * @param ctx the request
     * @return {@code {"principal": NAME}}, with {@code ""} for an anonymous session
     */
    @Command("whoami")
    public WhoAmI whoami(Context ctx) {
        return new WhoAmI(ctx.principal().map(java.security.Principal::getName).orElse(""));
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
    @CommandData(TokenRequest.class)
    public Token token(Context ctx) {
        JsonValue name = ctx.data() instanceof JsonObject o ? o.get("name") : null;
        try {
            return new Token(tokens.issue(name instanceof JsonString s ? s.getString() : null));
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
