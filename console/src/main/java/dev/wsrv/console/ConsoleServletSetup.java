package dev.wsrv.console;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Serves the operator console in a WAR at {@code wsrv.console.path} ({@code /console} under the application's context
 * path) when {@code wsrv.console.enabled} is {@code true}, in the environment or as a context parameter of the WAR's
 * {@code web.xml}; off by default. Loaded only in a servlet container.
 */
@WebListener
public class ConsoleServletSetup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ConsoleServletSetup.class.getName());

    /** The most bytes of an action's body the console reads. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Creates the listener; the servlet container calls this. */
    public ConsoleServletSetup() {
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ConsoleConfig config = ConsoleConfig.fromEnvironment();
        String param = event.getServletContext().getInitParameter("wsrv.console.enabled");
        if (!config.enabled() && !"true".equalsIgnoreCase(param)) {
            return;
        }
        ConsoleHttp console = new ConsoleHttp(config, CDI.current());
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("wsrv-console",
                new ConsoleServlet(console));
        if (servlet != null) {
            servlet.addMapping(config.path() + "/*");
            LOG.info(() -> "wsrv: operator console at " + event.getServletContext().getContextPath() + config.path()
                    + "/" + (config.exposed() ? " (exposed, behind the application's ConsoleAuthenticator)"
                    : " (loopback clients only)"));
        }
    }

    /** Hands each request to the console. */
    private static final class ConsoleServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ConsoleHttp console;

        ConsoleServlet(ConsoleHttp console) {
            this.console = console;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String below = request.getPathInfo() == null ? "" : request.getPathInfo();
            if (below.isEmpty()) {
                response.setStatus(308); // the page's relative links need the folder's slash
                response.setHeader("Location", request.getRequestURI() + "/");
                return;
            }
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                response.setStatus(413);
                return;
            }
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                response.setStatus(413);
                return;
            }
            Map<String, String> headers = new HashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
            }
            ConsoleHttp.Reply reply = console.answer(new ConsoleRequest(request.getMethod(), below,
                    request.getQueryString(), InetAddress.getByName(request.getRemoteAddr()), headers, body));
            response.setStatus(reply.status());
            reply.headers().forEach(response::setHeader);
            response.setContentType(reply.contentType());
            response.setContentLength(reply.body().length);
            if (!"HEAD".equals(request.getMethod())) {
                response.getOutputStream().write(reply.body());
            }
        }
    }
}
