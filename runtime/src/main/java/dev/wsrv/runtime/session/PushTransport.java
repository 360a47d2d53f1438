package dev.wsrv.runtime.session;

import java.util.concurrent.CompletionStage;

/**
 * Carries pushes to the other nodes of a cluster. With no bean of this type (the default) the application is a
 * single node. A cluster module supplies one; it hands every push it receives from another node to
 * {@link LocalPusher#deliverLocal(RemotePush)}, and never delivers its own publications back to this node. A
 * transport that finds that this node missed pushes of other nodes fires {@link PushesLost}.
 */
public interface PushTransport {

    /**
     * Publishes a push to the other nodes.
     *
     * @param push what to deliver, already encoded
     * @return the number of other nodes it was handed to, each of which delivers it to its own sessions (how the
     *     transport knows them is its own: the Redis transport counts the other nodes alive at the time); completes
     *     exceptionally when it could not be published (for example the broker is unreachable)
     */
    CompletionStage<Long> publish(RemotePush push);
}
