package dev.wsrv.runtime.cdi;

import dev.wsrv.runtime.observe.RuntimeView;
import dev.wsrv.runtime.session.SessionRegistry;
import dev.wsrv.runtime.session.SessionSender;
import dev.wsrv.runtime.session.SessionState;
import java.util.function.ToLongFunction;

/** The gauges' view of this node's sessions: each call counts anew, so it costs one pass over the sessions. */
record RegistryView(SessionRegistry registry) implements RuntimeView {

    @Override
    public int sessions() {
        return registry.all().size();
    }

    @Override
    public long queuedMessages() {
        return sum(SessionSender::queuedMessages);
    }

    @Override
    public long queuedBytes() {
        return sum(SessionSender::queuedBytes);
    }

    private long sum(ToLongFunction<SessionSender> count) {
        long n = 0;
        for (SessionState s : registry.all()) {
            n += count.applyAsLong(s.sender());
        }
        return n;
    }
}
