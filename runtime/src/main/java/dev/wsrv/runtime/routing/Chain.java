package dev.wsrv.runtime.routing;

import dev.wsrv.Execution;

/**
 * The prepared chain of one command, an entry of the {@link RouteTable}: its middleware in order, then its handler.
 * Immutable.
 *
 * @param cmd the command, or {@code null} for the chain of unknown commands
 * @param steps the elements, in order
 * @param mode where it runs: what its elements ask for together, never {@link Execution#VIRTUAL_THREAD} on a JVM
 *     without virtual threads
 */
record Chain(String cmd, Step[] steps, Execution mode) {
}
