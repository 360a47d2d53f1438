package dev.wsrv.runtime.session;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates the {@code seqno} of pushes: a random per-process prefix and a counter, unique across nodes and
 * restarts without coordination, and cheap.
 */
final class PushIds {

    private static final String PREFIX = prefix();
    private static final AtomicLong COUNTER = new AtomicLong();

    private PushIds() {
    }

    static String next() {
        return PREFIX + Long.toString(COUNTER.incrementAndGet(), 36);
    }

    private static String prefix() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(11);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 10; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.append('-').toString();
    }
}
