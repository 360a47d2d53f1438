package dev.wsrv.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.client.Push;
import dev.wsrv.client.WsrvClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the push recorder takes, and what its failures say. */
@WsrvTest(beans = RoomCommands.class)
class PushRecorderTest {

    @Test
    void eachAwaitTakesTheNextPushOfItsCommand(WsrvClient client, PushRecorder pushes) {
        client.call("join", Map.of("room", "a"));
        client.call("say", Map.of("room", "a", "text", "one"));
        client.call("say", Map.of("room", "a", "text", "two"));
        client.call("say", Map.of("room", "a", "text", "three"));
        assertThat(pushes.await("said").data().asJsonObject().getString("text")).isEqualTo("one");
        List<Push> next = pushes.await("said", 2);
        assertThat(next).extracting(p -> p.data().asJsonObject().getString("text")).containsExactly("two", "three");
        assertThat(pushes.await("joined").cmd()).isEqualTo("joined");
        assertThat(pushes.all()).extracting(Push::cmd).containsExactly("joined", "said", "said", "said");
    }

    @Test
    void aWaitThatRunsOutListsWhatArrived(WsrvClient client, PushRecorder pushes) {
        client.call("join", Map.of("room", "b"));
        client.call("say", Map.of("room", "b", "text", "hello"));
        pushes.await("joined");
        assertThatThrownBy(() -> pushes.within(Duration.ofMillis(200)).await("left"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("no push 'left' within 200 ms; received 2:")
                .hasMessageContaining("\n  (taken) joined {\"").hasMessageContaining("\"room\":\"b\"")
                .hasMessageEndingWith("\n  said {\"text\":\"hello\"}");
        assertThatThrownBy(() -> pushes.within(Duration.ofMillis(100)).await("said", 2))
                .hasMessageStartingWith("1 of 2 pushes 'said' within 100 ms; received 2:");
        assertThat(pushes.await("said").data().asJsonObject().getString("text"))
                .as("a wait that failed took nothing").isEqualTo("hello");
    }

    @Test
    void aWaitWithNothingReceivedSaysSo(PushRecorder pushes) {
        assertThatThrownBy(() -> pushes.within(Duration.ofMillis(50)).await("joined"))
                .hasMessage("no push 'joined' within 50 ms; no push at all was received");
    }
}
