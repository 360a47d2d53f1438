package dev.wsrv.runtime.routing;

/**
 * One problem with a request's data, as listed in a 422 reply.
 *
 * @param path where in the data, {@code ""} for the whole
 * @param message what is wrong
 */
public record Problem(String path, String message) {
}
