package dev.wsrv.it.demo;

import dev.wsrv.Command;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A command that always throws, for the 500 path and its log line. Only in the copy of the demo WAR that
 * {@link OwnInstanceTest} deploys.
 */
@ApplicationScoped
public class FailingCommand {

    /** Creates the bean; CDI calls this. */
    public FailingCommand() {
    }

    /** Throws. */
    @Command("fail")
    public void fail() {
        throw new IllegalStateException("failing on purpose");
    }
}
