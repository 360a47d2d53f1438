package dev.wsrv.console;

import java.net.URI;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Decides whether a request may reach the console, before anything else is read: loopback only unless exposed, the
 * application's authenticator once exposed, and for an action (POST) proof that the console's own page sent it. Every
 * refusal names its reason in the body, never more. Thread-safe.
 */
final class ConsoleGuard {

    /** The header the console's page puts on every action; a form or a cross-site script cannot send it unasked. */
    static final String ACTION_HEADER = "X-Wsrv-Console";

    private static final Logger LOG = Logger.getLogger(ConsoleGuard.class.getName());

    /** A Host header that names this machine: localhost, 127.x.x.x or [::1], with or without a port. */
    private static final Pattern LOOPBACK_HOST = Pattern.compile(
            "(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?");

    private final boolean exposed;
    private final ConsoleAuthenticator authenticator;

    /**
     * @param exposed whether other addresses than loopback may ask
     * @param authenticator the application's authenticator, or {@code null} when it has none
     */
    ConsoleGuard(boolean exposed, ConsoleAuthenticator authenticator) {
        this.exposed = exposed;
        this.authenticator = authenticator;
    }

    /**
     * Checks one request.
     *
     * @return {@code null} to let it through, else the refusal to answer with
     */
    ConsoleHttp.Reply check(ConsoleRequest request) {
        if (!exposed) {
            if (!request.remoteAddress().isLoopbackAddress()) {
                return ConsoleHttp.Reply.text(403, "the console answers loopback clients only");
            }
            // a page of another site whose name was rebound to 127.0.0.1 would be same-origin with the console: its
            // requests carry that name
            String host = request.header("Host");
            if (host == null || !LOOPBACK_HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
                return ConsoleHttp.Reply.text(403, "the console answers requests for a loopback host name only");
            }
        } else if (authenticator == null) {
            return ConsoleHttp.Reply.text(403, "the console is exposed but the application has no ConsoleAuthenticator");
        } else if (!accepted(request)) {
            return ConsoleHttp.Reply.text(401, "not accepted by the console's authenticator");
        }
        return "POST".equals(request.method()) ? checkAction(request) : null;
    }

    private boolean accepted(ConsoleRequest request) {
        try {
            return authenticator.accepts(request);
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, e, () -> "wsrv: the console's authenticator failed; the request is refused");
            return false;
        }
    }

    /** An action must come from the console's own page: same origin, with the header only that page sends. */
    private static ConsoleHttp.Reply checkAction(ConsoleRequest request) {
        if (!"1".equals(request.header(ACTION_HEADER))) {
            return ConsoleHttp.Reply.text(403, "an action needs the header " + ACTION_HEADER + ": 1");
        }
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return ConsoleHttp.Reply.text(415, "an action is a JSON object (Content-Type: application/json)");
        }
        String site = request.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            return ConsoleHttp.Reply.text(403, "an action must come from the console's own page");
        }
        String origin = request.header("Origin");
        if (origin != null && !sameHost(origin, request.header("Host"))) {
            return ConsoleHttp.Reply.text(403, "an action must come from the console's own page");
        }
        return null;
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
