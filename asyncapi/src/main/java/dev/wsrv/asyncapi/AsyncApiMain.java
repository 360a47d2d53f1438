package dev.wsrv.asyncapi;

import dev.wsrv.WsrvConfig;
import dev.wsrv.runtime.routing.RouteCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an application's AsyncAPI document at build time, without starting it: reads the {@code @Command} methods
 * and {@code @Push} declarations of the given classes (on the class path) and writes the document the running
 * server would serve, less the handlers registered in code.
 *
 * <pre>
 * java -cp APP_CLASSPATH dev.wsrv.asyncapi.AsyncApiMain [--out FILE] [--path /ws] [--title T] [--version V] CLASS...
 * </pre>
 *
 * <p>Without {@code --out} it writes to standard output. {@code --path}, {@code --title} and {@code --version} default
 * to the settings {@code wsrv.path}, {@code wsrv.asyncapi.title} and {@code wsrv.asyncapi.version}.
 */
public final class AsyncApiMain {

    private AsyncApiMain() {
    }

    /**
     * Writes the document.
     *
     * @param args the options and the bean class names
     * @throws IOException if the file cannot be written
     * @throws ClassNotFoundException if a class is not on the class path
     */
    public static void main(String[] args) throws IOException, ClassNotFoundException {
        AsyncApiConfig defaults = AsyncApiConfig.fromEnvironment();
        String out = null;
        String path = WsrvConfig.fromEnvironment().path();
        String title = defaults.title();
        String version = defaults.version();
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = AsyncApiMain.class.getClassLoader();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--out" -> out = args[++i];
                case "--path" -> path = args[++i];
                case "--title" -> title = args[++i];
                case "--version" -> version = args[++i];
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a
                                + "; use [--out FILE] [--path /ws] [--title T] [--version V] CLASS...");
                    }
                    classes.add(Class.forName(a, false, loader));
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("name the bean classes whose commands and pushes to write");
        }
        String text = AsyncApiDocument.text(AsyncApiDocument.of(RouteCatalog.of(classes),
                new AsyncApiConfig(false, title, version), path));
        if (out == null) {
            System.out.print(text);
        } else {
            Path file = Path.of(out);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }
}
