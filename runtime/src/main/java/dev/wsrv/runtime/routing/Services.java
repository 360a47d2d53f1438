package dev.wsrv.runtime.routing;

import dev.wsrv.runtime.session.LocalPusher;
import dev.wsrv.runtime.session.SessionRegistry;

/**
 * What a request context needs from the router, gathered once.
 *
 * @param binder binds and validates data
 * @param errors maps failures to replies
 * @param pusher pushes to the current session
 * @param registry binds users and groups
 */
record Services(Binder binder, ErrorMapper errors, LocalPusher pusher, SessionRegistry registry) {
}
