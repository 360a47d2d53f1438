package dev.wsrv.demo;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.Status;
import dev.wsrv.WsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Groups and pushes from a request, to try every kind of target from a WebSocket client: {@code join} a group, and
 * {@code send} a {@code message} push to a user, a group or one session, as any component of the application can.
 */
@ApplicationScoped
public class PushCommands {

    /** The command of the pushes {@code send} makes. */
    public static final String MESSAGE = "message";

    private static final int MAX_NAME = 64;

    @Inject
    Pusher pusher;

    /**
     * Adds the session to a group.
     *
     * @param ctx the request, with {@code {"group": NAME}}
     * @return {@code {"group": NAME}}
     */
    @Command("join")
    public Map<String, Object> join(Context ctx) {
        String group = name(ctx.data(), "group");
        ctx.join(group);
        return Map.of("group", group);
    }

    /**
     * Pushes {@code message} with the request's {@code data} member to a user, a group or a session, and answers
     * where it went.
     *
     * @param ctx the request, with {@code {"to": "user"|"group"|"session", "id": ID, "data": ANY}}
     * @return completes with {@code {"delivered": n, "buffered": n, "failed": n}}: connected sessions, resumable
     *     sessions waiting for their client, and failures
     */
    @Command("send")
    public CompletionStage<Map<String, Object>> send(Context ctx) {
        String to = name(ctx.data(), "to");
        String id = name(ctx.data(), "id");
        JsonValue data = ((JsonObject) ctx.data()).getOrDefault("data", JsonValue.NULL);
        CompletionStage<PushResult> result = switch (to) {
            case "user" -> pusher.pushToUser(id, MESSAGE, data);
            case "group" -> pusher.pushToGroup(id, MESSAGE, data);
            case "session" -> pusher.push(id, MESSAGE, data);
            default -> throw invalid("to", "must be user, group or session");
        };
        return result.thenApply(r -> Map.of("delivered", r.delivered().size(), "buffered", r.buffered().size(),
                "failed", r.failures().size()));
    }

    private static String name(JsonValue data, String member) {
        if (data instanceof JsonObject o && o.get(member) instanceof JsonString s && !s.getString().isEmpty()
                && s.getString().length() <= MAX_NAME) {
            return s.getString();
        }
        throw invalid(member, "must be a string of 1 to " + MAX_NAME + " characters");
    }

    private static WsException invalid(String path, String message) {
        return new WsException(Status.INVALID_DATA, Status.INVALID_DATA_MSG,
                List.of(Map.of("path", path, "message", message)));
    }
}
