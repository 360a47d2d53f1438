package dev.wsrv.asyncapi;

import dev.wsrv.WsrvConfig;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * Serves the AsyncAPI document in a WAR at {@code <wsrv.path>/asyncapi.json} (such as {@code /ws/asyncapi.json}
 * under the application's context path) when {@code wsrv.asyncapi.enabled} is {@code true}, in the environment or
 * as a context parameter of the WAR's {@code web.xml}; off by default, since the document tells anyone who can reach
 * it every command the application has. The document is written once, when the application starts. Loaded only in a
 * servlet container.
 */
@WebListener
public class AsyncApiServletSetup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(AsyncApiServletSetup.class.getName());

    /** Creates the listener; the servlet container calls this. */
    public AsyncApiServletSetup() {
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String param = event.getServletContext().getInitParameter("wsrv.asyncapi.enabled");
        if (!AsyncApiConfig.fromEnvironment().enabled() && !"true".equalsIgnoreCase(param)) {
            return;
        }
        String path = AsyncApiConfig.documentPath(WsrvConfig.fromEnvironment().path());
        byte[] document = AsyncApiDocument.json(CDI.current()).getBytes(StandardCharsets.UTF_8);
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("wsrv-asyncapi",
                new DocumentServlet(document));
        if (servlet != null) {
            servlet.addMapping(path);
            LOG.info(() -> "wsrv: AsyncAPI document at " + path);
        }
    }

    /** Answers GET with the document. */
    private static final class DocumentServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final byte[] document;

        DocumentServlet(byte[] document) {
            this.document = document;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setContentLength(document.length);
            response.getOutputStream().write(document);
        }
    }
}
