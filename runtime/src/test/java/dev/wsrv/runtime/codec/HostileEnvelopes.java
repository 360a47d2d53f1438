package dev.wsrv.runtime.codec;

import static dev.wsrv.it.support.JsonText.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.Reply;
import dev.wsrv.WsrvConfig;
import dev.wsrv.it.support.JsonText;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * What the hostile-input properties of the envelope decoder share: generators of hostile text, and the decode
 * through both readers with the checks every frame must pass (never throws, never hangs, a Valid request, a
 * Heartbeat or an Invalid with the documented cmd/seqno echo, a 400 reply that round-trips).
 */
final class HostileEnvelopes {

    private HostileEnvelopes() {
    }

    /** Strings rich in NUL, control characters, quotes, backslashes, line separators and any other char. */
    static Arbitrary<String> nasty() {
        Arbitrary<Character> special = Arbitraries.of('\u0000', '\n', '\r', '\t', '\b', '\f', '\u001b', '\u001f',
                '\u007f', '\u0085', '\u2028', '\u2029', '"', '\\', '/', '\ufeff', '\uffff', 'a', '{', '}');
        Arbitrary<Character> any = Arbitraries.chars().all();
        Arbitrary<Character> control = Arbitraries.chars().range('\u0000', '\u001f');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, special), net.jqwik.api.Tuple.of(3, control),
                        net.jqwik.api.Tuple.of(2, any), net.jqwik.api.Tuple.of(2, Arbitraries.chars().alpha()))
                .list().ofMaxSize(40).map(l -> {
                    StringBuilder b = new StringBuilder();
                    l.forEach(b::append);
                    return b.toString();
                });
    }

    /** Random JSON values (as text), nested a little. */
    static Arbitrary<String> jsonValue() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.of("null", "true", "false", "0", "-1", "1.5e3", "12345678901234567890", "{}", "[]"),
                () -> nasty().map(JsonText::quoted),
                () -> Arbitraries.integers().map(String::valueOf),
                () -> jsonValue().list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                () -> Combinators.combine(nasty(), jsonValue()).as((k, v) -> quoted(k) + ":" + v)
                        .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}"));
    }

    /** Concatenations of JSON-ish tokens: reaches deeper into the parser than uniformly random text. */
    static Arbitrary<String> jsonish() {
        return Arbitraries.of("{", "}", "[", "]", ":", ",", "\"cmd\"", "\"seqno\"", "\"data\"", "\"x\"", "\"echo\"",
                        "1", "-0.5e3", "1e999999999", "true", "null", "\"\\u0000\"", "\"\\ud800\"", "\"", "\\", " ",
                        "\n", "\u0000", "é", "\ud83d\ude00", "\ud800", "tru", "01", "-", ".5", "[[[[", "]]]]")
                .list().ofMaxSize(30).map(l -> String.join("", l));
    }

    static Inbound checked(Inbound in, boolean binary) {
        assertThat(in).isNotNull();
        assertThat(in).isInstanceOfAny(Inbound.Valid.class, Inbound.Heartbeat.class, Inbound.Invalid.class);
        assertThat(in.binary()).isEqualTo(binary);
        if (in instanceof Inbound.Invalid bad) {
            assertThat(bad.cmd()).isNotNull();
            assertThat(bad.seqno()).isNotNull();
            assertThat(bad.reason()).isNotBlank();
            // the 400 reply built from it is valid JSON and round-trips cmd/seqno
            roundTrip(new Reply(bad.cmd(), bad.seqno(), 400, "bad request", null));
        }
        if (in instanceof Inbound.Valid call) {
            assertThat(call.request().cmd()).isNotEmpty();
            assertThat(call.request().seqno()).isNotNull();
            assertThat(call.request().data()).isNotNull();
        }
        return in;
    }

    /** Encodes a reply, re-parses it with Parsson, and checks cmd/seqno survive exactly. */
    static JsonObject roundTrip(Reply reply) {
        String json = ReplyEncoder.toJson(reply);
        // a lone surrogate would make the container fail to send the frame
        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(json)).as("UTF-8-encodable: %s", json).isTrue();
        for (int i = 0; i < json.length(); i++) {
            assertThat(json.charAt(i)).as("raw control char at %d in %s", i, json).isGreaterThanOrEqualTo('\u0020');
        }
        JsonObject o = Json.createReader(new StringReader(json)).readObject();
        assertThat(o.getString("cmd")).isEqualTo(reply.cmd());
        assertThat(o.getString("seqno")).isEqualTo(reply.seqno());
        assertThat(o.getInt("status")).isEqualTo(reply.status());
        return o;
    }

    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ExecutorService> WORKER =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Runs a decode with a 5 s bound, so that a hang fails the property instead of the build. */
    static Inbound bounded(java.util.concurrent.Callable<Inbound> decode, Object input) {
        java.util.concurrent.ExecutorService ex = WORKER.updateAndGet(e -> e != null ? e
                : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "decode");
                    t.setDaemon(true);
                    return t;
                }));
        java.util.concurrent.Future<Inbound> f = ex.submit(decode);
        try {
            return f.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            WORKER.set(null); // the stuck thread is abandoned (daemon)
            throw new AssertionError("decoder did not return within 5 s for: " + abbreviate(input));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("decoder threw for: " + abbreviate(input), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String abbreviate(Object input) {
        String s = input instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(input);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static Inbound text(String s) {
        Inbound in = bounded(() -> EnvelopeReader.read(s), s);
        // the reader without limits on data: the decoder with those limits off must agree with it
        TextFrame viaDecoder = new TextFrameDecoder(WsrvConfig.Limits.NONE).decode(s);
        assertThat(viaDecoder.inbound()).isEqualTo(in);
        return checked(in, false);
    }

    static Inbound bytes(byte[] b) {
        Inbound in = bounded(() -> EnvelopeReader.read(ByteBuffer.wrap(b)), b);
        BinaryFrame viaDecoder = new BinaryFrameDecoder(WsrvConfig.Limits.NONE).decode(ByteBuffer.wrap(b));
        assertThat(viaDecoder.inbound()).isEqualTo(in);
        assertThat(viaDecoder.weight()).isEqualTo(b.length);
        return checked(in, true);
    }

    /** The same decoding outcome, for the same bytes sent as a binary frame. */
    static Inbound sameButBinary(Inbound in) {
        if (in instanceof Inbound.Valid c) {
            return new Inbound.Valid(c.request(), c.data(), true);
        } else if (in instanceof Inbound.Invalid i) {
            return new Inbound.Invalid(i.reason(), i.cmd(), i.seqno(), true);
        }
        return new Inbound.Heartbeat(true);
    }
}
