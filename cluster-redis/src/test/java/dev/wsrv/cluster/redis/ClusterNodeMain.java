package dev.wsrv.cluster.redis;

import dev.wsrv.console.EmbeddedConsole;
import dev.wsrv.embedded.EmbeddedServer;
import java.util.concurrent.CountDownLatch;

/**
 * One cluster node for tests and for trying the cluster by hand:
 * {@code ClusterNodeMain --port 8801 [--redis redis://127.0.0.1:6379] [--console]}. Prints {@code READY <ws uri>}
 * when it listens; stops on SIGTERM (Ctrl-C). With {@code --console} it serves the operator console at
 * {@code /console/}.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8800;
        String redis = null;
        boolean console = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--redis" -> redis = args[++i];
                case "--console" -> console = true;
                default -> throw new IllegalArgumentException(
                        "usage: --port P [--redis redis://host:port] [--console]");
            }
        }
        if (redis != null) {
            System.setProperty(RedisCluster.URI_KEY, redis);
        }
        EmbeddedServer.Builder builder = EmbeddedServer.builder().port(port)
                .beanClasses(NodeCommands.class, NodeAuthenticator.class)
                .beanClasses(RedisCluster.beanClasses());
        EmbeddedServer server = (console ? EmbeddedConsole.install(builder) : builder).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "node-shutdown"));
        System.out.println("READY " + server.uri());
        System.out.flush();
        stopped.await();
    }
}
