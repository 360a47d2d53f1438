package dev.wsrv.runtime.session;

import dev.wsrv.CloseCodes;
import dev.wsrv.runtime.session.Resumption.Opened;
import jakarta.websocket.Session;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The cluster's side of {@link Resumption} (docs/protocol.md#resume-on-another-node): takes a session whose token
 * names another node from that node, and gives this node's sessions to the nodes their clients resume on. Thread-safe,
 * as its {@link Resumption}.
 */
final class ResumptionHandoff implements SessionHandoff.Host {

    private static final Logger LOG = Logger.getLogger(ResumptionHandoff.class.getName());
    /** A bound of last resort on the wait for another node's session; the hand-off's own timeout is shorter. */
    private static final long HANDOFF_WAIT_SECONDS = 30;

    private final Resumption owner;
    private final SessionHandoff handoff;

    ResumptionHandoff(Resumption owner, SessionHandoff handoff) {
        this.owner = owner;
        this.handoff = handoff;
    }

    /**
     * Resumes a session of another node: waits, a bounded time, for the owner to hand it over and the transport to
     * install it here.
     */
    Opened take(Session session, ResumeToken token, String principal, String last, String[] why) {
        CompletableFuture<Opened> installed = new CompletableFuture<>();
        try {
            handoff.take(new SessionHandoff.Request(token.node(), token.sessionId(), token.digest(), principal, last),
                    arrival -> {
                        Opened o = install(session, arrival, principal, last, why);
                        installed.complete(o);
                        return o == null ? null : o.state().id();
                    }).whenComplete((v, e) -> installed.complete(null));
            return installed.get(HANDOFF_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.FINE, "wsrv: taking a session from another node failed", e);
        }
        why[0] = Resumption.NODE_LOST;
        return null;
    }

    /** Installs a session that arrived from another node and attaches the new connection to it. */
    private Opened install(Session session, SessionHandoff.Arrival arrival, String principal, String last,
                           String[] why) {
        if (arrival.snapshot() == null) {
            why[0] = arrival.reason() == null ? "unknown-token" : arrival.reason();
            return null;
        }
        SessionSnapshot snap;
        try {
            snap = SessionSnapshot.parse(arrival.snapshot());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wsrv: another node handed over a session this node cannot read", e);
            why[0] = Resumption.NODE_LOST;
            return null;
        }
        if (!snap.principal().equals(principal) || owner.registry.get(snap.id()) != null) {
            why[0] = "unknown-token";
            return null;
        }
        PushLog log = new PushLog(snap.prefix(), owner.config.resume().maxMessages(), owner.config.resume().maxBytes(),
                owner.nodeBytes, owner.config.resume().totalBytes());
        if (!log.restore(snap.next(), snap.pushes())) {
            why[0] = "buffer-full";
            return null;
        }
        ResumeToken token = ResumeToken.issue(owner.node, snap.id());
        session.getUserProperties().putAll(snap.attributes());
        SessionState state = owner.registry.adopt(snap.id(), session, owner.config.sendQueueMaxMessages(),
                owner.config.sendQueueMaxBytes(), s -> s.resumable(new Resumable(owner, log, principal, token)));
        if (snap.user() != null) {
            owner.registry.bindUser(state, snap.user());
        }
        snap.groups().forEach(g -> owner.registry.join(state, g));
        for (RemotePush push : arrival.missed()) {
            if (!snap.skip().contains(push.seqno())) {
                missed(state, push);
            }
        }
        Resumable r = state.resumableState();
        synchronized (r) {
            int replayed = log.attach(state.sender(), owner.binary, log.number(last),
                    n -> Resumption.sessionMessage(snap.id(), token, true, null, n));
            if (replayed < 0) {
                why[0] = "buffer-full";
                owner.endNow(state, r, "buffer-full", CloseCodes.GOING_AWAY, "recovery buffer full");
                return null;
            }
            return new Opened(state, true, replayed, null);
        }
    }

    @Override
    public SessionHandoff.Given give(SessionHandoff.Request request, Predicate<String> inFlight) {
        SessionState s = owner.registry.get(request.sessionId());
        Resumable r = s == null ? null : s.resumableState();
        // the same checks, whichever fails, as for a resume on this node
        if (r == null || !owner.node.equals(request.owner()) || !r.token().matchesDigest(request.digest())
                | !r.principal().equals(request.principal())) {
            return refused(request);
        }
        boolean wasAttached;
        SessionSender previous;
        PushLog.HandOver h;
        synchronized (r) {
            if (!r.token().matchesDigest(request.digest())) {
                return refused(request);
            }
            wasAttached = r.log().attached();
            previous = s.sender();
            h = r.log().handOver(r.log().number(request.last()));
        }
        if (h.status() == PushLog.GONE) {
            return refused(request);
        }
        if (wasAttached) {
            previous.close(CloseCodes.RESUMED_ELSEWHERE, "resumed elsewhere");
        }
        if (h.status() == PushLog.EVICTED) {
            owner.bury(s, r, "buffer-full");
            owner.ender.end(s, wasAttached ? CloseCodes.RESUMED_ELSEWHERE : r.dropCode(),
                    wasAttached ? "resumed elsewhere" : r.dropReason());
            return new SessionHandoff.Given(null, "buffer-full");
        }
        Set<String> skip = h.seqnos().stream().filter(inFlight).collect(Collectors.toSet());
        SessionSnapshot snap = new SessionSnapshot(s.id(), s.user(), Set.copyOf(s.groups()),
                s.snapshot().attributes(), r.principal(), r.log().prefix(), h.next(), h.after(), skip);
        String text = snap.toJson();
        owner.leave.accept(s);
        return new SessionHandoff.Given(text, null);
    }

    private SessionHandoff.Given refused(SessionHandoff.Request request) {
        Resumption.Tombstone t = owner.tombstones.get(request.sessionId());
        boolean known = t != null && t.token().matchesDigest(request.digest()) && owner.node.equals(request.owner());
        return new SessionHandoff.Given(null, known ? t.reason() : "unknown-token");
    }

    @Override
    public void missed(String sessionId, RemotePush push) {
        SessionState s = owner.registry.get(sessionId);
        if (s != null && s.resumable()) {
            missed(s, push);
        }
    }

    /** Appends a push that reached the cluster while the session was between nodes, when it is one of its targets. */
    @SuppressWarnings("unchecked")
    private static void missed(SessionState s, RemotePush push) {
        PushEnvelope envelope = push.reaches(s) ? PushEnvelope.ofAny(push.text()) : null;
        if (envelope != null) {
            Resumption.append(s, envelope, new CompletableFuture[1]);
        }
    }
}
