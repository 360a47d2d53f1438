package dev.wsrv.demo;

import dev.wsrv.asyncapi.AsyncApiConfig;
import dev.wsrv.asyncapi.AsyncApiDocument;
import dev.wsrv.console.EmbeddedConsole;
import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.metrics.micrometer.WsrvMetrics;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the demo on the embedded server: {@code --host 127.0.0.1 --port 8800} by default, {@code --port 0} for
 * any free port. Prints the WebSocket URL, serves the playground page at the HTTP root and wsrv's meters in the
 * Prometheus text format at {@code /metrics}. Not part of the WAR.
 */
public final class DemoMain {

    private DemoMain() {
    }

    /** The demo's contract: its title and the version of its API. */
    public static final AsyncApiConfig CONTRACT = new AsyncApiConfig(true, "wsrv demo", "1.0.0");

    /**
     * Returns a builder of the demo's embedded server: its beans, the playground page, the AsyncAPI document at
     * {@code /ws/asyncapi.json}, wsrv's meters at {@code /metrics} and the operator console at {@code /console/}.
     *
     * @return the builder, on 127.0.0.1:8800 unless changed
     */
    public static EmbeddedServer.Builder builder() {
        return EmbeddedConsole.install(EmbeddedServer.builder())
                .beanClasses(LoggingMiddleware.class, AuthMiddleware.class, UserCommands.class, PushCommands.class,
                        DemoAuthenticator.class, DemoTokens.class, DemoThreads.class, WsrvMetrics.class,
                        DemoMetrics.class)
                .staticResources(DemoMain.class.getClassLoader(), "webapp/")
                .httpText(AsyncApiConfig.documentPath("/ws"), "application/json; charset=utf-8",
                        beans -> AsyncApiDocument.json(beans, CONTRACT))
                .httpText("/metrics", DemoMetrics.CONTENT_TYPE, DemoMetrics::scrape);
    }

    /**
     * Starts the demo and runs until the process is stopped.
     *
     * @param args {@code --host H} and {@code --port P}
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8800;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --host H --port P");
            }
        }
        EmbeddedServer server = builder().host(host).port(port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "wsrv-demo-shutdown"));
        System.out.println("wsrv demo listening on " + server.uri());
        System.out.println("playground: " + server.httpUri());
        System.out.println("metrics: " + server.httpUri().resolve("/metrics"));
        System.out.println("console: " + server.httpUri().resolve("/console/"));
        System.out.flush();
        stopped.await();
    }
}
