package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.codec.Json;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.RemotePush;
import dev.wsrv.runtime.session.SessionHandoff;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands resumable sessions between nodes through the cluster's stream (docs/protocol.md#resume-on-another-node): the
 * node a client resumes on appends a {@code take} entry; the owner gives the session away when its reader reaches that
 * entry and appends a {@code state} entry with it; the taker keeps every push it reads between the two and installs
 * the session with them when it reads the state. Both act at the same place in the stream, so each push reaches the
 * session once: on the owner before the take, on the taker after it. Pushes a node published and delivered to its own
 * sessions before they come back through the stream are tracked by seqno ({@link #publishing}), so that the taker
 * skips those the session had and gets those it missed. A take without an answer within the timeout fails.
 *
 * <p>Thread-safe; {@link #passing} and {@link #control} run on the stream reader's thread.
 */
final class StreamHandoff {

    /** The stream entry's field that holds a hand-off message. */
    static final String FIELD = "h";

    private static final Logger LOG = Logger.getLogger(StreamHandoff.class.getName());

    private final String self;
    private final Duration timeout;
    private final LocalPusher pusher;
    private final Function<Map<String, String>, CompletionStage<String>> append;
    private final Supplier<Set<String>> liveNodes;
    private final ScheduledExecutorService timer;
    private volatile SessionHandoff.Host host;
    /** Seqnos of pushes this node published that its reader has not read back yet. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Seqnos of this node's pushes published before a session arrived, which that session missed: seqno → session. */
    private final Map<String, String> rescue = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final SessionHandoff.Request request;
        final Function<SessionHandoff.Arrival, String> install;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<RemotePush> missed = new ArrayList<>();
        /** Whether the reader passed the take: from there on, every push is kept for the session. */
        boolean started;
        volatile ScheduledFuture<?> expiry;

        Pending(SessionHandoff.Request request, Function<SessionHandoff.Arrival, String> install) {
            this.request = request;
            this.install = install;
        }
    }

    StreamHandoff(String self, Duration timeout, LocalPusher pusher,
                  Function<Map<String, String>, CompletionStage<String>> append, Supplier<Set<String>> liveNodes,
                  ScheduledExecutorService timer) {
        this.self = self;
        this.timeout = timeout;
        this.pusher = pusher;
        this.append = append;
        this.liveNodes = liveNodes;
        this.timer = timer;
    }

    void serve(SessionHandoff.Host h) {
        this.host = h;
    }

    /** Before a push of this node is appended and delivered here: it is in flight until the reader reads it back. */
    void publishing(RemotePush push) {
        String seqno = push.seqno();
        if (seqno != null) {
            inFlight.add(seqno);
        }
    }

    /** A push of this node that Redis did not take never comes back. */
    void publishFailed(RemotePush push) {
        String seqno = push.seqno();
        if (seqno != null) {
            inFlight.remove(seqno);
            rescue.remove(seqno);
        }
    }

    /** Entries were lost: pushes of this node among them never come back. */
    void lost() {
        inFlight.clear();
        rescue.clear();
    }

    /**
     * Takes note of a push the reader read, before it is delivered: kept for the sessions on their way here, and
     * given to a session that arrived after this node delivered it locally.
     */
    void passing(RemotePush push, boolean own) {
        for (Pending p : pending.values()) {
            if (p.started) {
                p.missed.add(push);
            }
        }
        if (own) {
            String seqno = push.seqno();
            if (seqno != null) {
                inFlight.remove(seqno);
                String session = rescue.remove(seqno);
                SessionHandoff.Host h = host;
                if (session != null && h != null) {
                    h.missed(session, push);
                }
            }
        }
    }

    CompletionStage<Void> take(SessionHandoff.Request request, Function<SessionHandoff.Arrival, String> install) {
        Set<String> live = liveNodes.get();
        if (!live.isEmpty() && !live.contains(request.owner())) {
            // a node that is not in the live set answers nobody: no need to wait for it
            return CompletableFuture.failedFuture(new IllegalStateException("node " + request.owner()
                    + " is not alive"));
        }
        String req = UUID.randomUUID().toString();
        Pending p = new Pending(request, install);
        pending.put(req, p);
        p.expiry = timer.schedule(() -> {
            if (pending.remove(req, p)) {
                p.done.completeExceptionally(new IllegalStateException("node " + request.owner()
                        + " did not hand over the session within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        JsonObjectBuilder m = Json.builders().createObjectBuilder().add("v", 1).add("op", "take").add("req", req)
                .add("from", self).add("owner", request.owner()).add("session", request.sessionId())
                .add("digest", request.digest()).add("principal", request.principal());
        if (request.last() != null) {
            m.add("last", request.last());
        }
        send(m.build().toString()).whenComplete((id, e) -> {
            if (e != null && pending.remove(req, p)) {
                p.expiry.cancel(false);
                p.done.completeExceptionally(e);
            }
        });
        return p.done;
    }

    /** A hand-off entry of the stream, read in order with the pushes. */
    void control(String entryId, String message) {
        JsonObject m;
        try (JsonReader r = Json.provider().createReader(new StringReader(message))) {
            m = r.readObject();
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: dropped hand-off entry " + LogText.safe(entryId) + ": not a JSON object");
            return;
        }
        try {
            switch (m.getString("op", "")) {
                case "take" -> take(m);
                case "state" -> state(m);
                default -> LOG.fine(() -> "wsrv: ignored hand-off entry " + LogText.safe(entryId));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wsrv: hand-off entry " + LogText.safe(entryId) + " failed", e);
        }
    }

    private void take(JsonObject m) {
        String req = m.getString("req");
        if (self.equals(m.getString("from"))) {
            Pending p = pending.get(req);
            if (p != null) {
                p.started = true;
            }
        }
        SessionHandoff.Host h = host;
        if (!self.equals(m.getString("owner")) || h == null) {
            return;
        }
        SessionHandoff.Request request = new SessionHandoff.Request(self, m.getString("session"),
                m.getString("digest"), m.getString("principal"), m.getString("last", null));
        SessionHandoff.Given given = pusher.exclusive(() -> h.give(request, inFlight::contains));
        JsonObjectBuilder answer = Json.builders().createObjectBuilder().add("v", 1).add("op", "state")
                .add("req", req).add("to", m.getString("from"));
        if (given.snapshot() != null) {
            answer.add("snapshot", given.snapshot());
        } else {
            answer.add("reason", given.reason());
        }
        send(answer.build().toString()).whenComplete((id, e) -> {
            if (e != null) {
                // the session left this node: the taker answers its client node-lost after its timeout
                LOG.warning(() -> "wsrv: could not answer a hand-off request of " + LogText.safe(m.getString("from"))
                        + ": " + Lettuce.reason(e));
            }
        });
    }

    private void state(JsonObject m) {
        if (!self.equals(m.getString("to"))) {
            return;
        }
        Pending p = pending.remove(m.getString("req"));
        if (p == null) {
            return; // timed out: the client was told node-lost, and the session is gone
        }
        p.expiry.cancel(false);
        SessionHandoff.Arrival arrival = new SessionHandoff.Arrival(m.getString("snapshot", null),
                m.getString("reason", null), List.copyOf(p.missed));
        try {
            pusher.exclusive(() -> {
                String session = p.install.apply(arrival);
                if (session != null) {
                    // this node's pushes published before the session was here, not yet read back: it missed them
                    for (String seqno : inFlight) {
                        rescue.put(seqno, session);
                    }
                }
                return session;
            });
        } finally {
            p.done.complete(null);
        }
    }

    private CompletionStage<String> send(String message) {
        try {
            return append.apply(Map.of(FIELD, message));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
