package dev.wsrv.runtime.routing;

/** One element of a prepared chain: a middleware, or the handler at its end. */
@FunctionalInterface
interface Step {
    void run(RequestContext ctx) throws Exception;
}
