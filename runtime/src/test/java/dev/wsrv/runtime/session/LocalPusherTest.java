package dev.wsrv.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.WsrvConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LocalPusherTest {

    @Test
    void aRecipientWhoseContainerThrowsFailsAloneAndTheBroadcastReachesEveryOther() throws Exception {
        List<FakeSession> fakes = new ArrayList<>();
        try {
            SessionRegistry registry = new SessionRegistry();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                FakeSession fake = new FakeSession();
                fakes.add(fake);
                ids.add(registry.register(fake.session, 100, Long.MAX_VALUE).id());
            }
            fakes.get(2).poisoned = text -> true;
            LocalPusher pusher = new LocalPusher(registry, WsrvConfig.DEFAULTS, null);

            PushResult r = pusher.broadcast("news", Map.of("n", 1)).toCompletableFuture()
                    .get(Duration.ofSeconds(10).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertThat(r.delivered()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
            assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.sessionId()).isEqualTo(ids.get(2)));
            for (int i = 0; i < 5; i++) {
                assertThat(fakes.get(i).sent).as("session %d", i).hasSize(i == 2 ? 0 : 1);
            }
            // the poisoned session still takes the next message
            fakes.get(2).poisoned = text -> false;
            assertThat(pusher.push(ids.get(2), "again", null).toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).delivered()).containsExactly(ids.get(2));
        } finally {
            fakes.forEach(FakeSession::close);
        }
    }
}
