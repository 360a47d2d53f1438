package dev.wsrv.test;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Pusher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** A bean with two commands for the kit's own tests: joining a room pushes to its members. */
@ApplicationScoped
public class RoomCommands {

    @Inject Pusher pusher;

    /** The data of {@code join}. */
    public record Join(String room) {
    }

    @Command("join")
    public Map<String, String> join(Join join, Context ctx) {
        ctx.join(join.room());
        pusher.pushToGroup(join.room(), "joined", Map.of("room", join.room(), "session", ctx.sessionId()));
        return Map.of("session", ctx.sessionId());
    }

    @Command("say")
    public void say(Map<String, String> said, Context ctx) {
        pusher.pushToGroup(said.get("room"), "said", Map.of("text", said.get("text")));
        ctx.ok();
    }
}
