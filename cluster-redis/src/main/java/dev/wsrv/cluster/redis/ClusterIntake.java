package dev.wsrv.cluster.redis;

import dev.wsrv.runtime.LogText;
import dev.wsrv.runtime.observe.WsrvObserver;
import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.PushesLost;
import dev.wsrv.runtime.session.RemotePush;
import jakarta.enterprise.event.Event;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a node does with what it reads from Redis: hand-off entries go to the {@link StreamHandoff}, the other nodes'
 * pushes to this node's sessions, its own are only counted for the hand-off, and a message that cannot be decoded is
 * dropped with a WARN that names the bad field but not the message's data. Thread-safe: the stream reader and the
 * pub/sub connection call it on their own threads.
 */
final class ClusterIntake implements StreamReader.Sink {

    private static final Logger LOG = Logger.getLogger(RedisPushTransport.class.getName());

    private final String nodeId;
    private final String stream;
    private final boolean defaultBinary;
    private final StreamHandoff handoff;
    private final LocalPusher pusher;
    private final Event<PushesLost> pushesLost;
    /** {@code null} when nothing observes. */
    private final WsrvObserver observer;

    ClusterIntake(String nodeId, String stream, boolean defaultBinary, StreamHandoff handoff, LocalPusher pusher,
                  Event<PushesLost> pushesLost, WsrvObserver observer) {
        this.nodeId = nodeId;
        this.stream = stream;
        this.defaultBinary = defaultBinary;
        this.handoff = handoff;
        this.pusher = pusher;
        this.pushesLost = pushesLost;
        this.observer = observer;
    }

    /** One entry of the cluster's stream, in order. */
    @Override
    public void entry(String id, Map<String, String> fields) {
        String control = fields.get(StreamHandoff.FIELD);
        if (control != null) {
            handoff.control(id, control);
            return;
        }
        String message = fields.get(ClusterMessage.FIELD);
        if (message == null) {
            LOG.warning(() -> "wsrv: dropped entry " + LogText.safe(id) + " of " + stream + ": it has no field "
                    + ClusterMessage.FIELD);
            observe(WsrvObserver.ClusterEvent.DROPPED);
            return;
        }
        ClusterMessage.Decoded decoded = decode(message, stream);
        if (decoded == null) {
            return;
        }
        boolean own = decoded.origin().equals(nodeId);
        handoff.passing(decoded.push(), own);
        if (!own) {
            deliver(decoded.push());
        }
    }

    /** Entries after the reader's place were lost: the hand-off and the application hear of it. */
    @Override
    public void lost(String reason) {
        handoff.lost();
        LOG.warning(() -> "wsrv: this node missed cluster pushes: " + reason + "; its sessions may lack pushes "
                + "other nodes published before now");
        try {
            pushesLost.fire(new PushesLost(reason));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wsrv: an observer of PushesLost failed", e);
        }
    }

    /**
     * A message of the pub/sub channel, delivered when it is not this node's own.
     *
     * @param message the message
     * @param source the channel, for the log
     */
    void message(String message, String source) {
        ClusterMessage.Decoded decoded = decode(message, source);
        if (decoded != null && !decoded.origin().equals(nodeId)) {
            deliver(decoded.push());
        }
    }

    /** Decodes a message, or logs why it is dropped and answers {@code null}. */
    private ClusterMessage.Decoded decode(String message, String source) {
        try {
            return ClusterMessage.decode(message, defaultBinary);
        } catch (ClusterMessage.BadMessage e) {
            // the reason names the bad field; the message itself may carry application data and stays out of the log
            LOG.warning(() -> "wsrv: dropped a message of " + message.length() + " chars on " + source + ": "
                    + LogText.safe(e.getMessage()));
            observe(WsrvObserver.ClusterEvent.DROPPED);
            return null;
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: dropped a message of " + message.length() + " chars on " + source + ": "
                    + LogText.safe(Lettuce.reason(e)));
            observe(WsrvObserver.ClusterEvent.DROPPED);
            return null;
        }
    }

    /** Delivers a push of another node to this node's sessions. */
    private void deliver(RemotePush push) {
        observe(WsrvObserver.ClusterEvent.RECEIVED);
        try {
            pusher.deliverLocal(push).whenComplete((result, error) -> {
                if (error != null) {
                    LOG.warning(() -> "wsrv: delivering a push from Redis failed: " + Lettuce.reason(error));
                } else if (LOG.isLoggable(Level.FINE)) {
                    LOG.fine("wsrv: push from Redis to " + push.target() + " " + LogText.safe(push.key())
                            + " delivered to " + result.delivered().size() + " session(s)");
                }
            });
        } catch (RuntimeException e) {
            LOG.warning(() -> "wsrv: delivering a push from Redis failed: " + Lettuce.reason(e));
        }
    }

    private void observe(WsrvObserver.ClusterEvent event) {
        if (observer != null) {
            observer.cluster(event);
        }
    }
}
