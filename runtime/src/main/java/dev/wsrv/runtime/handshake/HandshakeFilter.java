package dev.wsrv.runtime.handshake;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link HandshakeGate} in a WAR: a servlet filter on the endpoint path, placed before the container's own
 * WebSocket filter, so that a refused upgrade gets its HTTP status and never reaches the WebSocket layer. An
 * admitted upgrade continues with its {@link AdmissionTicket} as the request's user principal, which the container
 * hands to the session. A malformed upgrade request is answered 400 or 426 ({@link UpgradeRequestCheck}) before the
 * gate is asked. Requests that are not upgrades pass untouched.
 */
public class HandshakeFilter implements Filter {

    private volatile HandshakeGate gate;

    /** Creates the filter; the servlet container calls this. */
    public HandshakeFilter() {
    }

    private HandshakeGate gate() {
        HandshakeGate g = gate;
        if (g == null) {
            g = HandshakeGate.fromCdi();
            gate = g;
        }
        return g;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(req, res);
            return;
        }
        UpgradeRequestCheck.Refusal malformed = UpgradeRequestCheck.check(request.getMethod(), request.getProtocol(),
                name -> Collections.list(request.getHeaders(name)));
        if (malformed != null) {
            refuse(response, new HandshakeGate.Decision(malformed.status(), malformed.reason(), null));
            return;
        }
        HandshakeGate.Decision d = gate().admit(new RequestHandshake(request.getRequestURI(), headers(request),
                query(request), request.getUserPrincipal(), request.getRemoteAddr(), request.getLocalAddr(),
                request.isSecure()));
        if (d.refused()) {
            refuse(response, d);
            return;
        }
        AdmissionTicket admitted = d.admitted();
        try {
            chain.doFilter(new AdmittedRequest(request, admitted), res);
        } finally {
            if (response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                admitted.release(); // the container did not upgrade after all: no session will give the slot back
            }
        }
    }

    static void refuse(HttpServletResponse response, HandshakeGate.Decision d) throws IOException {
        response.setStatus(d.status());
        response.setHeader("Connection", "close");
        if (d.status() == 426) {
            response.setHeader("Sec-WebSocket-Version", UpgradeRequestCheck.VERSION);
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(d.reason().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> headers(HttpServletRequest r) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (String name : Collections.list(r.getHeaderNames())) {
            h.put(name, Collections.list(r.getHeaders(name)));
        }
        return h;
    }

    private static Map<String, List<String>> query(HttpServletRequest r) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        r.getParameterMap().forEach((k, v) -> q.put(k, Arrays.asList(v)));
        return q;
    }

    /** The upgrade request, reporting the admission as its user principal. */
    private static final class AdmittedRequest extends HttpServletRequestWrapper {
        private final AdmissionTicket admitted;

        AdmittedRequest(HttpServletRequest request, AdmissionTicket admitted) {
            super(request);
            this.admitted = admitted;
        }

        @Override
        public Principal getUserPrincipal() {
            return admitted;
        }
    }
}
