package dev.wsrv.runtime.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    @Test
    void perAddressThenTotal() {
        ConnectionLimiter l = new ConnectionLimiter(3, 2);
        assertThat(l.acquire("a")).isNull();
        assertThat(l.acquire("a")).isNull();
        assertThat(l.acquire("a")).isEqualTo(ConnectionLimiter.Refusal.PER_ADDRESS);
        assertThat(l.acquire("b")).isNull();
        assertThat(l.acquire("c")).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
        assertThat(l.open()).isEqualTo(3);
        l.release("a");
        assertThat(l.acquire("c")).isNull();
        assertThat(l.acquire("a")).isEqualTo(ConnectionLimiter.Refusal.TOTAL);
    }

    @Test
    void zeroMeansNoLimit() {
        ConnectionLimiter l = new ConnectionLimiter(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(l.acquire("a")).isNull();
        }
        assertThat(l.open()).isEqualTo(10_000);
    }

    @Test
    void concurrentAcquiresNeverOvershootAndReleasesBalance() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(100, 30);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String address = "addr-" + (t % 4);
                tasks.add(() -> {
                    int got = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (l.acquire(address) == null) {
                            got++;
                        }
                    }
                    return got;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(100); // 4 addresses could hold 30 each, but 100 in total
            assertThat(l.open()).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
