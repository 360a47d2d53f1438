/**
 * The wsrv API: what applications touch to answer commands, run middleware and push to sessions.
 *
 * <p>A client sends {@code {"cmd","seqno","data"}}; the server runs the global middleware ordered by priority,
 * then the one handler of {@code cmd}, and answers {@code {"cmd","seqno","status","msg","data"}}. Handlers are
 * {@link dev.wsrv.Command} methods of CDI beans or {@link dev.wsrv.Handler}s registered through
 * {@link dev.wsrv.Routes}; middleware are {@link dev.wsrv.Middleware} beans. {@link dev.wsrv.Pusher} and
 * {@link dev.wsrv.Sessions} are injectable anywhere.
 */
package dev.wsrv;
