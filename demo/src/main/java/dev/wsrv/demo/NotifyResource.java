package dev.wsrv.demo;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * A plain Jakarta EE component that pushes: {@code POST /api/notify/{uid}} with a JSON body pushes
 * {@code notify} with that body to every WebSocket session of the user, and answers how many it reached.
 */
@Path("/notify/{uid}")
@RequestScoped
public class NotifyResource {

    @Inject
    Pusher pusher;

    /**
     * Pushes the body to the user's sessions.
     *
     * @param uid the user, as registered through {@code register}
     * @param body any JSON value
     * @return {@code {"reached": n, "failed": m}}
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<JsonObject> notify(@PathParam("uid") String uid, JsonValue body) {
        return pusher.pushToUser(uid, "notify", body).thenApply(NotifyResource::summary);
    }

    private static JsonObject summary(PushResult r) {
        return Json.createObjectBuilder().add("reached", r.reached()).add("failed", r.failures().size()).build();
    }
}
