package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsrv.client.WsrvClient;
import dev.wsrv.client.WsrvStatusException;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.test.PushRecorder;
import dev.wsrv.test.WsrvTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@WsrvTest(beans = {ChatCommands.class, Announcer.class})
class ChatTest {

    @Test
    void whatOneSaysTheRoomHears(WsrvClient alice, PushRecorder alicePushes, URI uri) {
        alice.call("join", Map.of("room", "lobby", "name", "alice"));
        try (WsrvClient bob = WsrvClient.connect(uri); PushRecorder bobPushes = PushRecorder.of(bob)) {
            bob.call("join", Map.of("room", "lobby", "name", "bob"));
            assertEquals("bob", alicePushes.await("joined", 2).get(1).data().asJsonObject().getString("name"));
            alice.call("say", Map.of("text", "hi bob"));
            assertEquals("hi bob", bobPushes.await("said").data().asJsonObject().getString("text"));
            assertEquals(List.of("alice", "bob"), alice.call("who", null, List.class));
        }
    }

    @Test
    void sayingBeforeJoiningIsRefused(WsrvClient client) {
        WsrvStatusException e = assertThrows(WsrvStatusException.class, () -> client.call("say", Map.of("text", "hi")));
        assertEquals(409, e.status());
    }

    @Test
    void aBlankNameIsInvalid(WsrvClient client) {
        WsrvStatusException e = assertThrows(WsrvStatusException.class,
                () -> client.call("join", Map.of("room", "lobby", "name", "")));
        assertEquals(422, e.status());
    }

    @Test
    void theAnnouncementReachesEveryone(WsrvClient client, PushRecorder pushes, EmbeddedServer server) {
        server.container().select(Announcer.class).get().announce();   // what the timer does once a minute
        int online = pushes.await("announcement").data().asJsonObject().getInt("online");
        assertTrue(online >= 1, "online: " + online);   // this client, and any of earlier tests still closing
    }
}
