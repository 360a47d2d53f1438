package chat;

import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Pusher;
import dev.wsrv.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;

/** A chat: join a room under a name, say something to the room, ask who is in it. */
@ApplicationScoped
public class ChatCommands {

    @Inject Pusher pusher;
    @Inject Sessions sessions;

    public record Join(@NotBlank String room, @NotBlank String name) { }

    public record Say(@NotBlank String text) { }

    @Command("join")
    public Map<String, Object> join(Join join, Context ctx) {
        ctx.set("room", join.room());
        ctx.set("name", join.name());
        ctx.join(join.room());
        pusher.pushToGroup(join.room(), "joined", Map.of("name", join.name()));
        return Map.of("room", join.room());
    }

    @Command("say")
    public void say(Say say, Context ctx) {
        String room = ctx.get("room");
        if (room == null) {
            ctx.error(409, "join a room first");
            return;
        }
        pusher.pushToGroup(room, "said", Map.of("name", ctx.get("name"), "text", say.text()));
        ctx.ok();
    }

    @Command("who")
    public List<String> who(Context ctx) {
        String room = ctx.get("room");
        return room == null ? List.of() : sessions.inGroup(room).stream()
                .map(s -> (String) s.attributes().get("name")).sorted().toList();
    }
}
