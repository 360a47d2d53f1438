package dev.wsrv.it.hostile;

import dev.wsrv.Command;
import dev.wsrv.Pusher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.Map;

/** An application that broadcasts user text to everyone, as a chat room does. */
@ApplicationScoped
public class SayCommands {

    @Inject
    Pusher pusher;

    /** Broadcasts {@code said} with the text to every session and answers how many it reached. */
    @Command("say")
    public Map<String, Object> say(JsonString text) {
        int reached = pusher.broadcast("said", Map.of("text", text.getString())).toCompletableFuture().join().reached();
        return Map.of("reached", reached);
    }
}
