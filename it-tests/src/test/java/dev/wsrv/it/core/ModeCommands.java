package dev.wsrv.it.core;

import dev.wsrv.AppliesTo;
import dev.wsrv.Blocking;
import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Execution;
import dev.wsrv.Middleware;
import dev.wsrv.NonBlocking;
import dev.wsrv.RouteRegistry;
import dev.wsrv.Routes;
import dev.wsrv.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Handlers of every execution mode for {@link ExecutionModesTest}. Each answers the number it was sent, the thread it
 * ran on, and whether the session's requests so far started in order and one at a time: the session's attributes hold
 * the last number started and whether a request of the session runs.
 */
final class ModeCommands {

    /** Started {@code hold} requests. */
    static final AtomicInteger HOLDS_STARTED = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(1);

    private ModeCommands() {
    }

    /** Closes the gate of {@code hold} and {@code stall} and restarts the count. */
    static void reset() {
        HOLDS_STARTED.set(0);
        release = new CountDownLatch(1);
    }

    static void await() {
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the handler");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Answers {@code {n, thread, virtual, inOrder}} and checks that the session's requests did not overlap. */
    static void answer(Context ctx, boolean work) {
        int n = ctx.data().getValueType() == jakarta.json.JsonValue.ValueType.NUMBER
                ? ((jakarta.json.JsonNumber) ctx.data()).intValue() : -1;
        boolean alone = ctx.get("modes.running") == null;
        ctx.set("modes.running", Boolean.TRUE);
        Integer last = ctx.get("modes.last");
        boolean inOrder = alone && (n < 0 || n == (last == null ? 0 : last + 1));
        if (n >= 0) {
            ctx.set("modes.last", n);
        }
        if (work) {
            // a short blocking call, as to a database: it widens the window in which a later request could overtake
            LockSupport.parkNanos(100_000);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("n", n);
        reply.put("thread", Thread.currentThread().getName());
        reply.put("virtual", virtual());
        reply.put("inOrder", inOrder);
        ctx.set("modes.running", null);
        ctx.ok(reply);
    }

    static boolean virtual() {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Non-blocking by its class; one method of each other mode. */
    @ApplicationScoped
    @NonBlocking
    public static class Handlers {

        @Command("nb")
        public void nonBlocking(Context ctx) {
            answer(ctx, false);
        }

        @Blocking
        @Command("b")
        public void blocking(Context ctx) {
            answer(ctx, true);
        }

        @RunOnVirtualThread
        @Command("vt")
        public void virtualThread(Context ctx) {
            answer(ctx, true);
        }

        /** Blocking until the test releases it. */
        @Blocking
        @Command("hold")
        public void hold(Context ctx) {
            HOLDS_STARTED.incrementAndGet();
            await();
            answer(ctx, false);
        }

        /** On a virtual thread until the test releases it. */
        @RunOnVirtualThread
        @Command("holdVt")
        public void holdVirtual(Context ctx) {
            hold(ctx);
        }

        /** Blocks the thread that read its frame until the test releases it, which a non-blocking handler must not. */
        @Command("stall")
        public void stall(Context ctx) {
            HOLDS_STARTED.incrementAndGet();
            await();
            ctx.ok();
        }

        /** Another command that does the same. */
        @Command("stall2")
        public void stall2(Context ctx) {
            stall(ctx);
        }

        /** Closes the gate again, from another session: a test on a server in another process. */
        @Command("closeGate")
        public void closeGate(Context ctx) {
            reset();
            ctx.ok();
        }

        /** Opens the gate, from another session: a test on a server in another process. */
        @Command("openGate")
        public void openGate(Context ctx) {
            release.countDown();
            ctx.ok();
        }

        /** Non-blocking itself, but a blocking middleware runs before it. */
        @Command("nbBehindBlocking")
        public void behindBlocking(Context ctx) {
            answer(ctx, false);
        }
    }

    /** A middleware that may block, for one command only. */
    @ApplicationScoped
    @Blocking
    @AppliesTo("nbBehindBlocking")
    public static class BlockingMiddleware implements Middleware {
        @Override
        public void handle(Context ctx) {
            ctx.next();
        }
    }

    /** A handler without a declared mode, and one registered in code as non-blocking. */
    @ApplicationScoped
    public static class Plain implements Routes {

        @Command("plain")
        public void plain(Context ctx) {
            answer(ctx, false);
        }

        @Override
        public void register(RouteRegistry routes) {
            routes.handle("codeNb", Execution.NON_BLOCKING, ctx -> answer(ctx, false));
        }
    }
}
