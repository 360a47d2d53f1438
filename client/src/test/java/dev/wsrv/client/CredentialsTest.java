package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static dev.wsrv.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.embedded.EmbeddedServer;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Credentials from a header supplier on every attempt, and no retrying of a reconnect refused with 401 or 403. */
@Timeout(60)
class CredentialsTest {

    static EmbeddedServer server(int port) {
        return Waits.retry("binding port " + port, WAIT, () -> EmbeddedServer.builder().port(port)
                .beanClasses(HeaderTokenAuthenticator.class)
                .handle("who", ctx -> ctx.ok(Map.of("name", ctx.principal().map(Principal::getName).orElse(""))))
                .start());
    }

    static WsrvClientBuilder client(EmbeddedServer server, AtomicReference<String> token, AtomicInteger asked) {
        return WsrvClient.builder(server.uri())
                .headers(() -> {
                    asked.incrementAndGet();
                    return Map.of("X-Token", token.get());
                })
                .reconnect(ReconnectTest.backoff(50, 200));
    }

    @ParameterizedTest(name = "refused with {1}")
    @CsvSource({"revoked-token, 401", "banned-token, 403"})
    void eachReconnectAsksForFreshCredentialsAndARefusedOneIsNotRetried(String refusedToken, int status)
            throws Exception {
        AtomicReference<String> token = new AtomicReference<>("good-one");
        AtomicInteger asked = new AtomicInteger();
        // a second client whose reconnect the server refuses with 429, which is retried with the same backoff:
        // its attempts show how much time has passed on the client's own clock
        String busy = "busy-" + status;
        AtomicReference<String> witnessToken = new AtomicReference<>("good-witness");
        EmbeddedServer first = server(0);
        int port = first.address().getPort();
        List<EmbeddedServer> later = new ArrayList<>();
        LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        WsrvClient c = client(first, token, asked).connect();
        WsrvClient witness = client(first, witnessToken, new AtomicInteger()).connect();
        try {
            c.onError(errors::add);
            assertThat(await(c.request("who", null)).asJsonObject().getString("name")).isEqualTo("one");

            token.set("good-two");
            first.close();
            later.add(server(port));
            Waits.until("reconnected", WAIT, c::isConnected);
            assertThat(await(c.request("who", null)).asJsonObject().getString("name")).isEqualTo("two");
            Waits.until("the witness reconnected", WAIT, witness::isConnected);

            token.set(refusedToken);
            witnessToken.set(busy);
            later.get(0).close();
            later.add(server(port));
            Throwable refused = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // attempts while no server listened, or while it listened but answered 503 'starting', are retried
            while (refused != null && !(refused instanceof WsrvConnectionException w && w.handshakeStatus().isPresent()
                    && w.handshakeStatus().getAsInt() != 503)) {
                refused = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(refused).isInstanceOfSatisfying(WsrvConnectionException.class,
                    e -> assertThat(e.handshakeStatus()).hasValue(status));
            int askedAtRefusal = asked.get();
            int witnessAtRefusal = HeaderTokenAuthenticator.attempts(busy);

            // a retry would start within the 200 ms backoff; the witness's four further attempts take longer
            Waits.until("four more attempts of the witness", WAIT,
                    () -> HeaderTokenAuthenticator.attempts(busy) >= witnessAtRefusal + 4);
            assertThat(asked).as("credentials asked for after the refusal").hasValue(askedAtRefusal);
            assertThat(HeaderTokenAuthenticator.attempts(refusedToken)).isEqualTo(1);
            assertThat(errors).noneMatch(e -> e instanceof WsrvConnectionException w && w.handshakeStatus().isPresent());
            assertThat(c.isConnected()).isFalse();
        } finally {
            c.close();
            witness.close();
            first.close();
            later.forEach(EmbeddedServer::close);
        }
    }
}
