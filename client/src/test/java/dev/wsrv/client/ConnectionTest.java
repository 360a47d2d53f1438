package dev.wsrv.client;

import static dev.wsrv.client.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One connection on a small fake of the JDK's WebSocket that behaves as the JDK does when it has missed the end of
 * its TCP connection: it reports nothing, and its sends fail.
 */
@Timeout(30)
class ConnectionTest {

    private final LinkedBlockingQueue<Connection> ended = new LinkedBlockingQueue<>();
    private final Connection.Owner owner = new Connection.Owner() {
        @Override
        public void message(Connection conn, String text) {
        }

        @Override
        public void closed(Connection conn) {
            ended.add(conn);
        }

        @Override
        public void problem(Throwable error) {
        }
    };

    @Test
    void aFailedSendEndsTheConnectionAsLostOnceAndAbortsTheSocket() throws Exception {
        DeadSocket socket = new DeadSocket();
        Connection conn = connection(Duration.ZERO, Duration.ZERO, socket);

        CompletableFuture<Void> send = conn.sendText("{\"cmd\":\"x\",\"seqno\":\"1\"}");

        // the sender sees the connection ended, not just a failed send
        assertThat(send).isCompletedExceptionally();
        assertThat(conn.isClosed()).isTrue();
        assertThat(conn.closeCode()).isEqualTo(1006);
        assertThat(conn.closeReason()).isEqualTo("connection lost: a send failed: java.io.IOException: closed output");
        assertThat(socket.aborts).hasValue(1);
        conn.sendText("");
        assertThat(ended).containsExactly(conn);
    }

    @Test
    void theHeartbeatFindsAConnectionWhoseEndTheJdkMissed() throws Exception {
        DeadSocket socket = new DeadSocket();
        Connection conn = connection(Duration.ofMillis(20), Duration.ZERO, socket);

        conn.startTimers();

        assertThat(ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(conn);
        assertThat(conn.closeCode()).isEqualTo(1006);
        assertThat(conn.closeReason()).startsWith("connection lost: a send failed");
        assertThat(socket.aborts).hasValue(1);
    }

    @Test
    void aSendThatFailsWhileTheClientClosesLeavesTheCloseToTheServer() throws Exception {
        DeadSocket socket = new DeadSocket();
        socket.closeSent = true; // the close frame goes out; the server's answer has not come yet
        Connection conn = connection(Duration.ZERO, Duration.ZERO, socket);

        conn.close(1000, "");
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> conn.sendText("").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failed.getCause()).isInstanceOf(IOException.class);
        assertThat(conn.isClosed()).isFalse();
        assertThat(socket.aborts).hasValue(0);

        conn.onClose(socket, 1000, "");
        assertThat(ended).containsExactly(conn);
        assertThat(conn.closeCode()).isEqualTo(1000);
    }

    @Test
    void aSilenceTimeoutEndsAConnectionThatReceivesNothing() throws Exception {
        DeadSocket socket = new DeadSocket();
        Connection conn = connection(Duration.ZERO, Duration.ofMillis(100), socket);

        conn.startTimers();

        assertThat(ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(conn);
        assertThat(conn.closeCode()).isEqualTo(1006);
        assertThat(conn.closeReason()).isEqualTo("connection lost: no frame from the server for 100 ms");
        assertThat(socket.aborts).hasValue(1);
    }

    private Connection connection(Duration heartbeat, Duration silence, DeadSocket socket) {
        Connection conn = new Connection(owner, heartbeat, silence, 1024);
        conn.onOpen(socket);
        return conn;
    }

    /** Sends fail with the JDK's "closed output", and so does a close unless {@link #closeSent}. */
    private static final class DeadSocket implements WebSocket {
        final AtomicInteger aborts = new AtomicInteger();
        boolean closeSent;

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            return CompletableFuture.failedFuture(new IOException("closed output"));
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return sendText("", last);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return sendText("", true);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return sendText("", true);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return closeSent ? CompletableFuture.completedFuture(this) : sendText("", true);
        }

        @Override
        public void request(long n) {
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
            aborts.incrementAndGet();
        }
    }
}
