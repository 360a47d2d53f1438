package dev.wsrv.runtime;

import dev.wsrv.runtime.handshake.ThrottledWarning;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the container's own WARN lines about client-caused connection errors to one line each, at most one per 10
 * seconds. Tyrus (the embedded server and Payara) logs a frame larger than its buffer as "Unexpected error, closing
 * connection" with the whole stack trace, once per frame, so that any client could fill the log; through this
 * filter the line keeps the exception's class and message and drops the trace.
 *
 * <p>The filter sits on the container's logger from the first router's start to the last router's stop, and only
 * when that logger has no filter of its own. Thread-safe.
 */
final class ContainerLogs {

    /** The logger of Tyrus' endpoint wrapper; held here so that the filter does not go with a collected logger. */
    private static final Logger TYRUS = Logger.getLogger("org.glassfish.tyrus.core.TyrusEndpointWrapper");

    private static int routers;
    private static OneLine installed;

    private ContainerLogs() {
    }

    /** Puts the filter in place for one more router. */
    static synchronized void install() {
        if (routers++ == 0 && TYRUS.getFilter() == null) {
            installed = new OneLine();
            TYRUS.setFilter(installed);
        }
    }

    /** Takes the filter away when the last router stops, so that no undeployed application stays referenced. */
    static synchronized void uninstall() {
        if (--routers == 0 && installed != null) {
            if (TYRUS.getFilter() == installed) {
                TYRUS.setFilter(null);
            }
            installed = null;
        }
    }

    /** Turns a record with a stack trace into one throttled line. */
    static final class OneLine implements Filter {
        private final ThrottledWarning throttle = new ThrottledWarning(TYRUS);
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public boolean isLoggable(LogRecord r) {
            if (r.getThrown() == null || r.getLevel().intValue() < Level.WARNING.intValue()) {
                return true;
            }
            int held = throttle.admit();
            if (held < 0) {
                return false;
            }
            String message = formatter.formatMessage(r) + ": " + r.getThrown();
            r.setMessage(ThrottledWarning.withHeld(LogText.safe(message), held));
            r.setParameters(null);
            r.setResourceBundle(null);
            r.setThrown(null);
            return true;
        }
    }
}
