package dev.wsrv.embedded;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/** Turns Grizzly's requests under a prefix into {@link HttpRoute} calls. */
final class RouteHandler extends HttpHandler {

    private static final Logger LOG = Logger.getLogger(RouteHandler.class.getName());

    private final HttpRoute route;

    RouteHandler(HttpRoute route) {
        this.route = route;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        long length = request.getContentLengthLong();
        if ("chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"))) {
            response.setStatus(411); // a body must say its length, so that it can be refused before it is read
            return;
        }
        if (length > HttpRoute.MAX_BODY_BYTES) {
            response.setStatus(413);
            return;
        }
        // exactly the declared bytes: Grizzly's stream waits for more rather than end at the body's end
        byte[] body = length > 0 ? request.getInputStream().readNBytes((int) length) : new byte[0];
        Map<String, String> headers = new HashMap<>();
        for (String name : request.getHeaderNames()) {
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        HttpRoute.Ask ask = new HttpRoute.Ask(request.getMethod().getMethodString(), request.getRequestURI(),
                request.getQueryString(), InetAddress.getByName(request.getRemoteAddr()), headers, body);
        HttpRoute.Answer answer;
        try {
            answer = route.answer(ask);
        } catch (Exception | LinkageError e) {
            String errorId = UUID.randomUUID().toString();
            LOG.log(Level.WARNING, e, () -> "wsrv errorId=" + errorId + ": HTTP route failed on " + ask.path());
            response.setStatus(500);
            return;
        }
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        response.setContentLength(answer.body().length);
        if (!"HEAD".equals(ask.method())) {
            response.getOutputStream().write(answer.body());
        }
    }
}
