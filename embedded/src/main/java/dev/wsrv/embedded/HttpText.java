package dev.wsrv.embedded;

import jakarta.enterprise.inject.Instance;
import java.util.Objects;
import java.util.function.Function;

/**
 * Text the embedded server answers a GET for one path with, computed per request from the application's beans.
 *
 * @param path the path, starting with {@code /}
 * @param contentType the response's content type
 * @param body computes the body
 */
record HttpText(String path, String contentType, Function<Instance<Object>, String> body) {

    HttpText {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with /: " + path);
        }
    }
}
