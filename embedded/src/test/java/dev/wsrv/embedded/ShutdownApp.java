package dev.wsrv.embedded;

/** An application on the embedded server, run in its own JVM by {@link AwaitShutdownTest}. */
public final class ShutdownApp {

    private ShutdownApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedServer server = EmbeddedServer.builder().port(0)
                .beanClasses(LifecycleBean.class, LifecycleBean.PerRequest.class).start();
        System.out.println("READY " + server.uri());
        server.awaitShutdown();
    }
}
