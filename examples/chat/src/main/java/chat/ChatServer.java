package chat;

import dev.wsrv.embedded.EmbeddedServer;

/** Runs the chat on ws://127.0.0.1:8800/ws until the JVM is stopped (Ctrl-C closes every session with 1001). */
public final class ChatServer {

    private ChatServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedServer server = EmbeddedServer.builder().beanClasses(ChatCommands.class, Announcer.class).start();
        System.out.println("chat on " + server.uri());
        server.awaitShutdown();
    }
}
