package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Credentials from a header supplier on every attempt, and no retrying of a reconnect refused with 401. */
@Timeout(60)
class CredentialsTest {

    static EmbeddedServer server(int port) {
        return Waits.retry("binding port " + port, WAIT, () -> EmbeddedServer.builder().port(port)
                .beanClasses(HeaderTokenAuthenticator.class)
                .handle("who", ctx -> ctx.ok(Map.of("name", ctx.principal().map(Principal::getName).orElse(""))))
                .start());
    }

    @Test
    void eachReconnectAsksForFreshCredentialsAndARefusedOneIsNotRetried() throws Exception {
        AtomicReference<String> token = new AtomicReference<>("good-one");
        EmbeddedServer first = server(0);
        int port = first.address().getPort();
        EmbeddedServer second = null;
        EmbeddedServer third = null;
        LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        WsrvClient c = WsrvClient.builder(first.uri())
                .headers(() -> Map.of("X-Token", token.get()))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .connect();
        try {
            c.onError(errors::add);
            assertThat(await(c.request("who", null)).asJsonObject().getString("name")).isEqualTo("one");

            token.set("good-two");
            first.close();
            second = server(port);
            Waits.until("reconnected", WAIT, c::isConnected);
            assertThat(await(c.request("who", null)).asJsonObject().getString("name")).isEqualTo("two");

            token.set("revoked");
            second.close();
            HeaderTokenAuthenticator.ATTEMPTS.set(0);
            third = server(port);
            Throwable refused = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            while (refused != null && !(refused instanceof WsrvConnectionException w && w.handshakeStatus().isPresent())) {
                refused = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS); // attempts while no server listened
            }
            assertThat(refused).isInstanceOfSatisfying(WsrvConnectionException.class,
                    e -> assertThat(e.handshakeStatus()).hasValue(401));
            // a retry would come within the 200 ms backoff; wait well past it to see that none does
            assertThat(errors.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(HeaderTokenAuthenticator.ATTEMPTS).hasValue(1);
            assertThat(c.isConnected()).isFalse();
        } finally {
            c.close();
            first.close();
            if (second != null) {
                second.close();
            }
            if (third != null) {
                third.close();
            }
        }
    }
}
