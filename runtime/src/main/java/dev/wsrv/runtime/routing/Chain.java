package dev.wsrv.runtime.routing;

/**
 * The prepared chain of one command, an entry of the {@link RouteTable}: its middleware in order, then its handler.
 * Immutable.
 *
 * @param cmd the command, or {@code null} for the chain of unknown commands
 * @param steps the elements, in order
 */
record Chain(String cmd, Step[] steps) {
}
