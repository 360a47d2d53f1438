package dev.wsrv.console;

import dev.wsrv.PushResult;
import dev.wsrv.Pusher;
import dev.wsrv.runtime.session.SessionDirectory;
import jakarta.enterprise.inject.Instance;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The console's HTTP answers, the same behind the embedded server and a servlet: the page, its JSON (the node's
 * numbers, the sessions of every node) and its actions (push, close). Paths are relative to the console's own path.
 * Thread-safe.
 */
final class ConsoleHttp {

    /** The most sessions one listing returns, and how many it returns unless asked for fewer. */
    static final int MAX_SESSIONS = 500;

    /** How long a listing or an action may wait for the nodes that answer it. */
    static final long WAIT_SECONDS = 5;

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    private final ConsoleGuard guard;
    private final ConsoleStats stats;
    private final SessionDirectory directory;
    private final Pusher pusher;
    private final Map<String, byte[]> files = new HashMap<>();

    /**
     * Creates the console over the application's beans.
     *
     * @param config the console's settings
     * @param beans the application's beans: a {@link ConsoleStats}, a {@link SessionDirectory}, a {@link Pusher} and,
     *     when exposed, a {@link ConsoleAuthenticator}
     * @throws IllegalStateException when {@link ConsoleStats} is not a bean of the application
     */
    public ConsoleHttp(ConsoleConfig config, Instance<Object> beans) {
        Instance<ConsoleStats> found = beans.select(ConsoleStats.class);
        if (found.isUnsatisfied()) {
            throw new IllegalStateException("wsrv: the console needs its bean " + ConsoleStats.class.getName());
        }
        Instance<ConsoleAuthenticator> authenticator = beans.select(ConsoleAuthenticator.class);
        this.guard = new ConsoleGuard(config.exposed(), authenticator.isResolvable() ? authenticator.get() : null);
        this.stats = found.get();
        this.directory = beans.select(SessionDirectory.class).get();
        this.pusher = beans.select(Pusher.class).get();
        FILES.values().forEach(name -> files.put(name, resource(name)));
    }

    /**
     * Answers one request.
     *
     * @param request the request, its path relative to the console's
     * @return the answer, never {@code null}
     */
    public Reply answer(ConsoleRequest request) {
        Reply refused = guard.check(request);
        if (refused != null) {
            return refused;
        }
        String path = request.path().isEmpty() ? "/" : request.path();
        String method = request.method();
        boolean read = method.equals("GET") || method.equals("HEAD");
        String file = FILES.get(path);
        if (file != null || path.equals("/api/state") || path.equals("/api/sessions")) {
            if (!read) {
                return Reply.text(405, "GET only").with("Allow", "GET, HEAD");
            }
            return file != null ? new Reply(200, type(file), files.get(file), Map.of())
                    : path.equals("/api/state") ? Reply.json(200, state()) : sessions(request.query());
        }
        if (path.equals("/api/push") || path.equals("/api/close")) {
            if (!method.equals("POST")) {
                return Reply.text(405, "POST only").with("Allow", "POST");
            }
            JsonObject body;
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(request.body()))) {
                body = reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                return Reply.text(400, "the body is not a JSON object");
            }
            return path.equals("/api/push") ? push(body) : close(body);
        }
        return Reply.text(404, "not found");
    }

    private JsonObject state() {
        return Json.createObjectBuilder(stats.snapshot()).add("node", directory.node()).build();
    }

    private Reply sessions(String query) {
        Map<String, String> q = query(query);
        int limit;
        try {
            limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : MAX_SESSIONS;
        } catch (NumberFormatException e) {
            return Reply.text(400, "limit is not a number");
        }
        if (limit < 1 || limit > MAX_SESSIONS) {
            return Reply.text(400, "limit must be 1 to " + MAX_SESSIONS);
        }
        SessionDirectory.Listing listing;
        try {
            listing = await(directory.listing(blankToNull(q.get("user")), blankToNull(q.get("group")), limit + 1));
        } catch (ExecutionException | TimeoutException e) {
            return Reply.text(503, "the nodes did not answer");
        }
        List<SessionDirectory.Entry> entries = listing.entries();
        JsonArrayBuilder list = Json.createArrayBuilder();
        entries.stream().limit(limit).forEach(e -> list.add(Json.createObjectBuilder()
                .add("id", e.id())
                .add("node", e.node())
                .add("user", e.user() == null ? JsonValue.NULL : Json.createValue(e.user()))
                .add("groups", Json.createArrayBuilder(e.groups().stream().sorted().toList()))
                .add("remoteAddress", e.remoteAddress() == null ? JsonValue.NULL : Json.createValue(e.remoteAddress()))
                .add("openedAt", e.openedAt().toEpochMilli())
                .add("detached", e.detached())
                .add("queuedMessages", e.queuedMessages())
                .add("queuedBytes", e.queuedBytes())));
        return Reply.json(200, Json.createObjectBuilder()
                .add("node", directory.node())
                .add("now", System.currentTimeMillis())
                .add("truncated", entries.size() > limit)
                .add("silentNodes", Json.createArrayBuilder(listing.silent().stream().sorted().toList()))
                .add("sessions", list).build());
    }

    private Reply push(JsonObject body) {
        String target = string(body, "target");
        String to = string(body, "to");
        String cmd = string(body, "cmd");
        JsonValue data = body.getOrDefault("data", JsonValue.NULL);
        if (cmd == null || cmd.isEmpty() || cmd.length() > 256) {
            return Reply.text(400, "cmd must be a string of 1 to 256 characters");
        }
        if (target == null || !target.equals("all") && (to == null || to.isEmpty())) {
            return Reply.text(400, "target must be session, user, group or all, and to must name one unless all");
        }
        CompletionStage<PushResult> sent;
        switch (target) {
            case "session" -> sent = pusher.push(to, cmd, data);
            case "user" -> sent = pusher.pushToUser(to, cmd, data);
            case "group" -> sent = pusher.pushToGroup(to, cmd, data);
            case "all" -> sent = pusher.broadcast(cmd, data);
            default -> {
                return Reply.text(400, "target must be session, user, group or all, and to must name one unless all");
            }
        }
        PushResult result;
        try {
            result = await(sent);
        } catch (ExecutionException | TimeoutException e) {
            return Reply.text(503, "the push did not complete");
        }
        return Reply.json(200, Json.createObjectBuilder()
                .add("delivered", result.delivered().size())
                .add("buffered", result.buffered().size())
                .add("failed", result.failures().size())
                .add("remoteNodes", result.remoteNodes()).build());
    }

    private Reply close(JsonObject body) {
        String session = string(body, "session");
        String reason = body.containsKey("reason") ? string(body, "reason") : "";
        JsonValue code = body.get("code");
        if (session == null || session.isEmpty()) {
            return Reply.text(400, "session must name a session");
        }
        if (code == null || code.getValueType() != JsonValue.ValueType.NUMBER
                || !((JsonNumber) code).isIntegral() || !closeCode(((JsonNumber) code).intValue())) {
            return Reply.text(400, "code must be 1000, 1001, 1008, 1011, 1013 or 3000 to 4999");
        }
        if (reason == null || reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            return Reply.text(400, "reason must be a string of at most 123 bytes in UTF-8");
        }
        boolean closed;
        try {
            closed = await(directory.close(session, ((JsonNumber) code).intValue(), reason));
        } catch (ExecutionException | TimeoutException e) {
            return Reply.text(503, "the nodes did not answer");
        }
        return Reply.json(closed ? 200 : 404, Json.createObjectBuilder().add("closed", closed).build());
    }

    private static boolean closeCode(int code) {
        return code == 1000 || code == 1001 || code == 1008 || code == 1011 || code == 1013
                || code >= 3000 && code <= 4999;
    }

    private static <T> T await(CompletionStage<T> stage) throws ExecutionException, TimeoutException {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    private static String string(JsonObject body, String key) {
        JsonValue v = body.get(key);
        return v instanceof JsonString s ? s.getString() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> q = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String type(String file) {
        return file.endsWith(".html") ? "text/html; charset=utf-8"
                : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleHttp.class.getResourceAsStream("/META-INF/wsrv-console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("wsrv: the console's " + name + " is missing from its jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One answer of the console.
     *
     * @param status the HTTP status
     * @param contentType the content type
     * @param body the body
     * @param headers further headers
     */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

        /** The headers every answer carries: nothing cached, nothing framed, nothing loaded from elsewhere. */
        public static final Map<String, String> SECURITY_HEADERS = Map.of(
                "Cache-Control", "no-store",
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'");

        /** Copies the headers and adds the security headers. */
        public Reply {
            Map<String, String> all = new HashMap<>(SECURITY_HEADERS);
            all.putAll(headers);
            headers = Map.copyOf(all);
        }

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8),
                    Map.of());
        }

        static Reply json(int status, JsonObject json) {
            return new Reply(status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        }

        Reply with(String header, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(header, value);
            return new Reply(status, contentType, body, more);
        }
    }
}
