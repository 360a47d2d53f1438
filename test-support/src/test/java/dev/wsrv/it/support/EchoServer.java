package dev.wsrv.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP echo server on a free loopback port, one daemon thread per connection, that records how each connection
 * ended: {@code "eof"} for an orderly end, else the exception's message (such as {@code "Connection reset"}).
 */
final class EchoServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();
    private final BlockingQueue<String> endings = new LinkedBlockingQueue<>();

    EchoServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        daemon("echo-accept", this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** The bytes received over all connections. */
    long received() {
        return received.get();
    }

    /** How each connection ended, in the order they ended. */
    BlockingQueue<String> endings() {
        return endings;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                open.add(s);
                daemon("echo-" + s.getPort(), () -> echo(s));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private void echo(Socket s) {
        byte[] buf = new byte[8192];
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.addAndGet(n);
                out.write(buf, 0, n);
            }
            endings.add("eof");
        } catch (IOException e) {
            endings.add(String.valueOf(e.getMessage()));
        } finally {
            open.remove(s);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
