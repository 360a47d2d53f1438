package dev.wsrv.it.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wsrv.client.WsrvClient;
import dev.wsrv.client.WsrvStatusException;
import dev.wsrv.demo.DemoTokens;
import dev.wsrv.it.support.RawClient;
import dev.wsrv.it.support.TestClient;
import dev.wsrv.it.target.Target;
import dev.wsrv.it.target.Targets;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Go library's example app and the protocol rules it exercises, from outside, against every target: embedded
 * Tyrus, Payara Micro and WildFly running the same demo WAR. Only the idle close code differs by container.
 */
@Timeout(180)
class DemoTest {

    /** Users are unique per test, so that sessions still closing from an earlier test never count. */
    private static final AtomicLong UIDS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            // Payara accepts h2c upgrades, and a pooled HTTP/2 connection can wedge while it deploys
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    static Stream<Arguments> targetsAndBadUids() {
        return Targets.allWith("{\"uid\":0}", "{\"uid\":-3}", "{\"uid\":\"7\"}", "{\"uid\":1.5}", "{}", "[7]", "7",
                "{\"uid\":99999999999999999999999}");
    }

    static Stream<Arguments> targetsAndBadFrames() {
        return Targets.allWith(
                new BadFrame("hello", ""),
                new BadFrame("[1,2,3]", ""),
                new BadFrame("{\"seqno\":\"m1\"}", "m1"),
                new BadFrame("{\"cmd\":7,\"seqno\":\"m3\"}", "m3"),
                new BadFrame("{\"cmd\":\"userinfo\",\"seqno\":5}", "5"),
                new BadFrame("{\"cmd\":\"userinfo\",\"seqno\":\"t1\",\"data\":{", "t1"));
    }

    /** A frame that is not a valid request, and the seqno its 400 reply echoes. */
    record BadFrame(String frame, String seqno) {
        @Override
        public String toString() {
            return frame;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void registerAnswersOkAfterPushingBothPushesToTheCaller(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        long uid = UIDS.incrementAndGet();
        try (TestClient c = TestClient.connect(target.wsUri())) {
            c.sendText("{\"cmd\":\"register\",\"seqno\":\"1\",\"data\":{\"uid\":" + uid + "}}");
            JsonObject have = c.nextJson();
            JsonObject mine = c.nextJson();
            assertThat(c.next().text())
                    .isEqualTo("{\"cmd\":\"register\",\"seqno\":\"1\",\"status\":0,\"msg\":\"ok\",\"data\":{}}");
            assertThat(have.getString("cmd")).isEqualTo("have_user_register");
            assertThat(have.getInt("status")).isZero();
            assertThat(have.getString("msg")).isEqualTo("ok");
            assertThat(have.getString("seqno")).isNotEmpty();
            assertThat(have.getJsonObject("data").toString()).isEqualTo("{\"uid\":" + uid + "}");
            assertThat(mine.getString("cmd")).isEqualTo("user_register");
            assertThat(mine.getJsonObject("data").toString()).isEqualTo("{\"uid\":" + uid + "}");
            assertThat(mine.getString("seqno")).isNotEqualTo(have.getString("seqno"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void everyRegisteredSessionHearsOfANewUserAndAnonymousOnesDoNot(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        long first = UIDS.incrementAndGet();
        long second = UIDS.incrementAndGet();
        try (TestClient a = TestClient.connect(target.wsUri());
             TestClient anonymous = TestClient.connect(target.wsUri());
             TestClient b = TestClient.connect(target.wsUri())) {
            assertThat(a.request("register", "a1", "{\"uid\":" + first + "}").getInt("status")).isZero();
            assertThat(uidOf(a.awaitPush("have_user_register"))).isEqualTo(first);
            a.awaitPush("user_register");

            assertThat(b.request("register", "b1", "{\"uid\":" + second + "}").getInt("status")).isZero();
            assertThat(uidOf(a.awaitPush("have_user_register"))).isEqualTo(second);
            assertThat(uidOf(b.awaitPush("have_user_register"))).isEqualTo(second);
            assertThat(uidOf(b.awaitPush("user_register"))).isEqualTo(second);

            assertThat(anonymous.messagesBefore("whoami")).isEmpty();
            assertThat(b.messagesBefore("whoami")).isEmpty();
        }
    }

    // Request/reply flows go through the project's Java client, as applications would; tests that need exact
    // frames (bad input, frame types, close codes) use the wire-level TestClient.

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void userinfoNeedsRegistrationThenAnswersTheUser(Targets.Lazy lazy) throws Exception {
        long uid = UIDS.incrementAndGet();
        try (WsrvClient c = WsrvClient.connect(lazy.get().wsUri())) {
            WsrvStatusException denied = failureOf(c.request("userinfo", null));
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.msg()).isEqualTo("unauthorized");
            assertThat(denied.data()).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);

            assertThat(await(c.request("register", Map.of("uid", uid)))).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
            JsonObject info = await(c.request("userinfo", null)).asJsonObject();
            assertThat(info.getJsonNumber("uid").longValue()).isEqualTo(uid);
            assertThat(info.getString("name")).isEqualTo("user-" + uid);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void unknownCommandsAreUnauthorizedBeforeRegisteringAndNotImplementAfter(Targets.Lazy lazy) throws Exception {
        try (WsrvClient c = WsrvClient.connect(lazy.get().wsUri())) {
            assertThat(failureOf(c.request("nope", null)).status()).isEqualTo(401);
            await(c.request("register", Map.of("uid", UIDS.incrementAndGet())));
            WsrvStatusException r = failureOf(c.request("nope", null));
            assertThat(r.status()).isEqualTo(-1);
            assertThat(r.msg()).isEqualTo("not implement");
            assertThat(r.cmd()).isEqualTo("nope");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndBadUids")
    void registerWithAnythingButAPositiveIntegerUidIs422(Targets.Lazy lazy, String data) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            JsonObject r = c.request("register", "bad", data);
            assertThat(r.getInt("status")).isEqualTo(422);
            assertThat(r.getString("msg")).isEqualTo("invalid data");
            assertThat(r.getJsonArray("data").getJsonObject(0).getString("path")).isEqualTo("uid");
            assertThat(r.getJsonArray("data").getJsonObject(0).getString("message"))
                    .isEqualTo("must be a positive integer");
            assertThat(c.request("userinfo", "u", null).getInt("status")).isEqualTo(401);
            assertThat(c.request("register", "none", null).getInt("status")).isEqualTo(422);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targetsAndBadFrames")
    void badFramesGet400WithWhatCouldBeReadAndTheSessionGoesOn(Targets.Lazy lazy, BadFrame bad) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            c.sendText(bad.frame());
            JsonObject r = c.nextJson();
            assertThat(r.getInt("status")).isEqualTo(400);
            assertThat(r.getString("msg")).isEqualTo("bad request");
            assertThat(r.getString("seqno")).isEqualTo(bad.seqno());
            assertThat(r.getJsonObject("data")).isEmpty();
            assertThat(c.request("userinfo", "after", null).getInt("status")).isEqualTo(401);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void pipelinedRequestsAreEachAnsweredOnceInOrder(Targets.Lazy lazy) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            for (int i = 0; i < 200; i++) {
                c.sendText("{\"cmd\":\"userinfo\",\"seqno\":\"" + i + "\"}");
            }
            for (int i = 0; i < 200; i++) {
                JsonObject r = c.nextJson();
                assertThat(r.getString("seqno")).isEqualTo(String.valueOf(i));
                assertThat(r.getInt("status")).isEqualTo(401);
            }
            assertThat(c.messagesBefore("whoami")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void heartbeatsGetNoReplyAndKeepTheSessionPastTheIdleTimeout(Targets.Lazy lazy) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            long until = System.nanoTime() + Targets.IDLE.multipliedBy(3).dividedBy(2).toNanos();
            boolean binary = false;
            while (System.nanoTime() < until) {
                if (binary) {
                    c.sendBinary(new byte[0]);
                } else {
                    c.sendText("");
                }
                binary = !binary;
                // waiting for a message that must not come is the pause between heartbeats
                assertThat(c.drain(Targets.IDLE.dividedBy(4))).isEmpty();
            }
            assertThat(c.isClosed()).isFalse();
            assertThat(c.request("userinfo", "alive", null).getInt("status")).isEqualTo(401);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void aSilentSessionIsClosedWith1000IdleTimeoutOnEveryContainer(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        try (TestClient c = TestClient.connect(target.wsUri())) {
            TestClient.Close close = c.awaitClose(Targets.IDLE.multipliedBy(4));
            // wsrv's own idle clock: the same code and reason on every container
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reason()).isEqualTo("idle timeout");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void pushesDoNotKeepASilentSessionAlive(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        try (TestClient silent = TestClient.connect(target.wsUri());
             TestClient talker = TestClient.connect(target.wsUri())) {
            assertThat(silent.request("register", "s", "{\"uid\":" + UIDS.incrementAndGet() + "}").getInt("status"))
                    .isZero();
            // from here on the silent session sends nothing, and each register of the other one pushes to it, every
            // quarter of the idle timeout for three timeouts: it must be closed while the pushes go on
            int pushes = 0;
            for (int i = 0; i < 12 && !silent.isClosed(); i++) {
                assertThat(talker.request("register", "t" + i, "{\"uid\":" + UIDS.incrementAndGet() + "}")
                        .getInt("status")).isZero();
                pushes += silent.drain(Targets.IDLE.dividedBy(4)).size();
            }
            assertThat(silent.isClosed()).as("closed while pushes kept coming").isTrue();
            assertThat(pushes).as("pushes that reached the session before its idle close").isPositive();
            TestClient.Close close = silent.awaitClose();
            assertThat(close.code()).isEqualTo(1000);
            assertThat(close.reason()).isEqualTo("idle timeout");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void aMessageOverTheLimitClosesWith1009(Targets.Lazy lazy) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            String head = "{\"cmd\":\"userinfo\",\"seqno\":\"big\",\"data\":\"";
            c.sendText(head + "x".repeat(64 * 1024 + 1 - head.length() - 2) + "\"}");
            assertThat(c.awaitClose().code()).isEqualTo(1009);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void invalidUtf8ClosesWith1007(Targets.Lazy lazy) throws Exception {
        try (RawClient raw = new RawClient(lazy.get().wsUri())) {
            raw.sendText(new byte[] {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            assertThat(raw.awaitClose().closeCode()).isEqualTo(1007);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void pingIsAnsweredWithPong(Targets.Lazy lazy) throws Exception {
        try (TestClient c = TestClient.connect(lazy.get().wsUri())) {
            assertThat(c.ping(new byte[] {4, 2})).containsExactly(4, 2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void thePlaygroundAndItsClientAreServed(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        HttpResponse<String> page = get(target, "index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
        HttpResponse<String> client = get(target, "wsrv.js");
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.body()).contains("export class WsrvClient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#appServers")
    void aJaxRsResourceInjectingThePusherReachesEverySocketOfTheUserAndNobodyElse(Targets.Lazy lazy)
            throws Exception {
        Target target = lazy.get();
        long uid = UIDS.incrementAndGet();
        long other = UIDS.incrementAndGet();
        try (TestClient first = TestClient.connect(target.wsUri());
             TestClient second = TestClient.connect(target.wsUri());
             TestClient stranger = TestClient.connect(target.wsUri());
             TestClient anonymous = TestClient.connect(target.wsUri())) {
            for (TestClient c : new TestClient[] {first, second}) {
                assertThat(c.request("register", "r", "{\"uid\":" + uid + "}").getInt("status")).isZero();
            }
            assertThat(stranger.request("register", "r", "{\"uid\":" + other + "}").getInt("status")).isZero();
            // forget the register pushes, all sent before a later reply: only the notify push is looked for below
            for (TestClient c : new TestClient[] {first, second, stranger}) {
                c.messagesBefore("whoami");
                c.drain(Duration.ZERO);
            }

            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(target.httpBase().resolve("api/notify/" + uid))
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hello\",\"n\":[1,2]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body().replace(" ", "")).isEqualTo("{\"reached\":2,\"failed\":0}");

            for (TestClient c : new TestClient[] {first, second}) {
                JsonObject push = c.awaitPush("notify");
                assertThat(push.getInt("status")).isZero();
                assertThat(push.getJsonObject("data").toString()).isEqualTo("{\"text\":\"hello\",\"n\":[1,2]}");
                assertThat(c.messagesBefore("whoami")).isEmpty();
            }
            assertThat(stranger.messagesBefore("whoami")).isEmpty();
            assertThat(anonymous.messagesBefore("whoami")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void aForeignOriginIsRefusedWith403AndTheServersOwnOriginOpens(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        // a page on another site opening a connection with the user's cookies: cross-site WebSocket hijacking
        assertThat(TestClient.upgradeStatus(target.wsUri(), Map.of("Origin", "https://evil.example.net")))
                .isEqualTo(403);
        String own = "http://" + target.wsUri().getHost() + ":" + target.wsUri().getPort();
        try (TestClient c = TestClient.connect(target.wsUri(), Map.of("Origin", own))) {
            assertThat(c.request("whoami", "o", "{}").getInt("status")).isZero();
        }
    }

    /** A token signed with the targets' key, as the demo signs them. */
    static String token(String name, long expiresAt) {
        return DemoTokens.sign(Targets.TOKEN_KEY.getBytes(StandardCharsets.UTF_8), name, expiresAt);
    }

    static long inAnHour() {
        return System.currentTimeMillis() / 1000 + 3600;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void aSignedTokenOpensTheSessionAsItsUserAndAnyOtherTokenIs401(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        String alice = token("alice", inAnHour());
        String[] parts = alice.split("\\.");
        for (String bad : List.of("forged", "demo-alice",
                "bob." + parts[1] + "." + parts[2], // another name under alice's signature
                "alice." + (Long.parseLong(parts[1]) + 1) + "." + parts[2], // a later expiry
                DemoTokens.sign("another key".getBytes(StandardCharsets.UTF_8), "alice", inAnHour()),
                token("alice", System.currentTimeMillis() / 1000 - 1))) { // expired
            assertThat(TestClient.upgradeStatus(URI.create(target.wsUri() + "?token=" + bad), Map.of())).as(bad)
                    .isEqualTo(401);
        }
        try (TestClient a = TestClient.connect(URI.create(target.wsUri() + "?token=" + alice));
             TestClient nobody = TestClient.connect(target.wsUri())) {
            assertThat(a.request("whoami", "a", "{}").getJsonObject("data").getString("principal"))
                    .isEqualTo("alice");
            assertThat(nobody.request("whoami", "n", "{}").getJsonObject("data").getString("principal")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void theTokenCommandIssuesATokenThatOpensASessionAsThatUser(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        String issued;
        try (TestClient c = TestClient.connect(target.wsUri())) {
            JsonObject r = c.request("token", "t", "{\"name\":\"dave\"}");
            assertThat(r.getInt("status")).isZero();
            issued = r.getJsonObject("data").getString("token");
            assertThat(c.request("token", "bad", "{\"name\":\"not a name\"}").getInt("status")).isEqualTo(422);
        }
        try (TestClient dave = TestClient.connect(URI.create(target.wsUri() + "?token=" + issued))) {
            assertThat(dave.request("whoami", "d", "{}").getJsonObject("data").getString("principal"))
                    .isEqualTo("dave");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#all")
    void oneAddressGets429PastItsConnectionLimitAndSlotsFreeOnClose(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        int limit = Targets.CONNECTIONS_PER_ADDRESS;
        // an address of its own (any 127.x reaches a loopback server), so that no other test's session counts
        InetAddress from = InetAddress.getByName("127.0.0." + (21 + List.of("embedded", "payara", "wildfly", "payara7",
                "wildfly39", "glassfish8").indexOf(target.name()) + 1));
        List<RawClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                open.add(new RawClient(target.wsUri(), from, new byte[0]));
            }
            assertThatThrownBy(() -> new RawClient(target.wsUri(), from, new byte[0]).close())
                    .hasMessageStartingWith("handshake refused: HTTP/1.1 429");
            RawClient last = open.get(limit - 1);
            last.sendText("{\"cmd\":\"whoami\",\"seqno\":\"last\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(last.read().text()).contains("\"seqno\":\"last\",\"status\":0");
            // a slot frees when a session closes
            open.remove(0).close();
            org.awaitility.Awaitility.await("a slot frees").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> open.add(new RawClient(target.wsUri(), from, new byte[0])));
        } finally {
            for (RawClient c : open) {
                c.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.wsrv.it.target.Targets#appServers")
    void thePrincipalTheContainerAuthenticatedIsTheContextsPrincipal(Targets.Lazy lazy) throws Exception {
        Target target = lazy.get();
        // DemoIdentity, a Jakarta Security mechanism, authenticates the upgrade request; no wsrv token involved
        try (TestClient carol = TestClient.connect(target.wsUri(),
                Map.of("Authorization", "Bearer " + token("carol", inAnHour())))) {
            assertThat(carol.request("whoami", "c", "{}").getJsonObject("data").getString("principal"))
                    .isEqualTo("carol");
        }
        // an unsigned bearer token authenticates nobody
        try (TestClient anyone = TestClient.connect(target.wsUri(), Map.of("Authorization", "Bearer demo-carol"))) {
            assertThat(anyone.request("whoami", "u", "{}").getJsonObject("data").getString("principal")).isEmpty();
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static WsrvStatusException failureOf(CompletionStage<?> stage) {
        Throwable e = catchThrowable(() -> await(stage));
        assertThat(e).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WsrvStatusException.class);
        return (WsrvStatusException) e.getCause();
    }

    private static long uidOf(JsonObject message) {
        return message.getJsonObject("data").getJsonNumber("uid").longValue();
    }

    private static HttpResponse<String> get(Target target, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(target.httpBase().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
