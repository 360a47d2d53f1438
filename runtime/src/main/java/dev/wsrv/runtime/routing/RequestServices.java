package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;

/**
 * What every request context needs besides its request, gathered once by the dispatcher.
 *
 * @param binder binds and validates data
 * @param errors maps failures to replies
 * @param pusher pushes to the current session
 * @param registry binds users and groups
 */
record RequestServices(Binder binder, ErrorMapper errors, LocalPusher pusher, SessionRegistry registry) {
}
