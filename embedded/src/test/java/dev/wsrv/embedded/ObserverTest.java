package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.PushResult;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.runtime.observe.RequestDone;
import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.observe.WsrvObserver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@link WsrvObserver} bean hears what the runtime does, through a real client over a socket. */
@Timeout(30)
class ObserverTest {

    /** Writes down every event it hears, one line each. */
    @ApplicationScoped
    public static class Recorder implements WsrvObserver {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private volatile RuntimeView view;

        @Override
        public void started(RuntimeView v) {
            view = v;
        }

        @Override
        public void requestDone(RequestDone d) {
            events.add("request " + d.cmd() + " routed=" + d.routed() + " status=" + d.status()
                    + " traceparent=" + d.traceparent());
        }

        @Override
        public void sessionOpened(String sessionId) {
            events.add("opened");
        }

        @Override
        public void sessionClosed(String sessionId, int closeCode) {
            events.add("closed " + closeCode);
        }

        @Override
        public void pushed(PushKind kind, PushResult result) {
            events.add("pushed " + kind + " delivered=" + result.delivered().size());
        }

        @Override
        public void handshakeRefused(int status) {
            events.add("refused " + status);
        }

        /** Takes the next {@code n} events, waiting at most 10 s for each. */
        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d of %d after %s", i + 1, n, out).isNotNull();
                out.add(e);
            }
            return out;
        }

        int sessions() {
            return view.sessions();
        }
    }

    @Test
    void theObserverHearsSessionsRequestsPushesAndRefusals() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(Recorder.class)
                .handle("echo", ctx -> ctx.ok(ctx.data()))
                .handle("poke", ctx -> ctx.push("tick", null).thenAccept(r -> ctx.ok()))
                .start()) {
            Recorder recorder = server.container().select(Recorder.class).get();
            String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            try (TestClient client = TestClient.connect(server.uri(), Map.of("traceparent", parent))) {
                assertThat(recorder.next(1)).containsExactly("opened");
                assertThat(recorder.sessions()).isEqualTo(1);
                assertThat(client.request("echo", "1", "{}").getInt("status")).isZero();
                assertThat(client.request("nope", "2", null).getInt("status")).isEqualTo(-1);
                client.sendText("[]");
                assertThat(client.nextJson().getInt("status")).isEqualTo(400);
                assertThat(recorder.next(3)).containsExactly(
                        "request echo routed=true status=0 traceparent=" + parent,
                        "request nope routed=false status=-1 traceparent=" + parent,
                        "request  routed=false status=400 traceparent=" + parent);
                assertThat(client.request("poke", "3", null).getInt("status")).isZero();
                assertThat(recorder.next(2)).containsExactly("pushed SESSION delivered=1",
                        "request poke routed=true status=0 traceparent=" + parent);
            }
            assertThat(recorder.next(1)).containsExactly("closed 1000");
            assertThat(TestClient.upgradeStatus(server.uri(), Map.of("Origin", "http://elsewhere.example")))
                    .isEqualTo(403);
            assertThat(recorder.next(1)).containsExactly("refused 403");
            assertThat(recorder.sessions()).isZero();
        }
    }
}
