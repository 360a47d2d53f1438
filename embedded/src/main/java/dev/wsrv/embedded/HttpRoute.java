package dev.wsrv.embedded;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Answers the HTTP requests for every path under one prefix of the embedded server, for example an operator console
 * (see {@link EmbeddedServer.Builder#http}). Called on the server's transport threads, concurrently: an implementation
 * must be thread-safe and should not block for long.
 */
@FunctionalInterface
public interface HttpRoute {

    /** The most bytes of a request body the server reads; a larger body is answered 413 without calling the route. */
    int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Answers one request.
     *
     * @param ask the request, never {@code null}
     * @return the answer, never {@code null}
     * @throws Exception for an unexpected failure: answered 500 without details, and logged
     */
    Answer answer(Ask ask) throws Exception;

    /**
     * One HTTP request.
     *
     * @param method the method in upper case, such as {@code GET}
     * @param path the decoded path, starting with the route's prefix
     * @param query the raw query string, or {@code null} when there is none
     * @param remoteAddress the address of the peer of the TCP connection (a proxy's when there is one)
     * @param headers the headers, their names in lower case; of a repeated header the first value
     * @param body the body, at most {@link #MAX_BODY_BYTES}; a chunked body (without {@code Content-Length}) is answered 411
     */
    record Ask(String method, String path, String query, InetAddress remoteAddress, Map<String, String> headers,
               byte[] body) {

        /** Checks the required fields and copies the headers. */
        public Ask {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(remoteAddress, "remoteAddress");
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        /**
         * Returns a header's value.
         *
         * @param name the name, in any case
         * @return the value, or {@code null} when the request has none
         */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The answer to one request.
     *
     * @param status the HTTP status
     * @param contentType the content type, or {@code null} for a body-less answer
     * @param body the body, empty for none
     * @param headers further headers, such as {@code Cache-Control}
     */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

        /** Checks the status and copies the headers. */
        public Answer {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            body = body == null ? new byte[0] : body;
            headers = Map.copyOf(headers);
        }
    }
}
