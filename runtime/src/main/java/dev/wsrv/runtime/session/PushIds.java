package dev.wsrv.runtime.session;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates the {@code seqno} of pushes: a random per-process prefix and a counter, unique across nodes and
 * restarts without coordination, and cheap.
 */
final class PushIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = withDash();
    private static final AtomicLong COUNTER = new AtomicLong();

    private PushIds() {
    }

    static String next() {
        return PREFIX + Long.toString(COUNTER.incrementAndGet(), 36);
    }

    /**
     * Returns a new random prefix of 10 characters, the shape of the per-process one, for a resumable session's
     * numbered pushes.
     *
     * @return the prefix, without the dash
     */
    static String prefix() {
        return random().toString();
    }

    private static String withDash() {
        return random().append('-').toString();
    }

    private static StringBuilder random() {
        StringBuilder b = new StringBuilder(11);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 10; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b;
    }
}
