package dev.wsrv.console;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.embedded.HttpRoute;
import java.util.Map;

/**
 * Puts the operator console on an embedded server, at {@code wsrv.console.path} ({@code /console}) of the server's own
 * address:
 *
 * <pre>{@code
 * EmbeddedConsole.install(EmbeddedServer.builder().beanClasses(MyHandlers.class)).start();
 * // http://127.0.0.1:8800/console/
 * }</pre>
 *
 * <p>Needs {@code wsrv-embedded} on the class path, as an application of the embedded server has it.
 */
public final class EmbeddedConsole {

    private EmbeddedConsole() {
    }

    /**
     * Adds the console, with the settings of the environment, to a builder.
     *
     * @param builder the server's builder, not null
     * @return the same builder
     */
    public static EmbeddedServer.Builder install(EmbeddedServer.Builder builder) {
        return install(builder, ConsoleConfig.fromEnvironment());
    }

    /**
     * Adds the console to a builder: its bean {@link ConsoleStats} and its route.
     *
     * @param builder the server's builder, not null
     * @param config the console's settings ({@link ConsoleConfig#enabled()} is for a WAR and not read here)
     * @return the same builder
     */
    public static EmbeddedServer.Builder install(EmbeddedServer.Builder builder, ConsoleConfig config) {
        String prefix = config.path();
        return builder.beanClasses(ConsoleStats.class).http(prefix, beans -> {
            ConsoleHttp console = new ConsoleHttp(config, beans);
            return ask -> {
                String below = ask.path().substring(prefix.length());
                if (below.isEmpty()) {
                    // the page's relative links need the folder's slash
                    return new HttpRoute.Answer(308, null, null, Map.of("Location", prefix + "/"));
                }
                ConsoleHttp.Reply reply = console.answer(new ConsoleRequest(ask.method(), below, ask.query(),
                        ask.remoteAddress(), ask.headers(), ask.body()));
                return new HttpRoute.Answer(reply.status(), reply.contentType(), reply.body(), reply.headers());
            };
        });
    }
}
