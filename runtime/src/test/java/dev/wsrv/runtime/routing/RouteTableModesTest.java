package dev.wsrv.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.Blocking;
import dev.wsrv.Context;
import dev.wsrv.Execution;
import dev.wsrv.Middleware;
import dev.wsrv.NonBlocking;
import dev.wsrv.RunOnVirtualThread;
import org.junit.jupiter.api.Test;

/** How the table gives each command's chain one execution mode. */
class RouteTableModesTest {

    static final Middleware PASS = Context::next;

    @NonBlocking
    static final class Marked {
        public void inherits(Context ctx) {
            ctx.ok();
        }

        @RunOnVirtualThread
        public void own(Context ctx) {
            ctx.ok();
        }

        @Blocking
        @NonBlocking
        public void both(Context ctx) {
            ctx.ok();
        }
    }

    /** What VIRTUAL_THREAD becomes on this JVM. */
    static final Execution VIRTUAL = Modes.virtualThreads() ? Execution.VIRTUAL_THREAD : Execution.BLOCKING;

    @Test
    void theHandlersModeElseTheDefaultAndADeclaringMiddlewarePullsTheChainToTheSaferMode() throws Exception {
        RouteTable table = RouteTable.builder()
                .handle("nb", Execution.NON_BLOCKING, ctx -> ctx.ok())
                .handle("vt", Execution.VIRTUAL_THREAD, ctx -> ctx.ok())
                .handle("plain", ctx -> ctx.ok())
                .handle("nbUnderVt", Execution.NON_BLOCKING, ctx -> ctx.ok())
                .handle("vtUnderBlocking", Execution.VIRTUAL_THREAD, ctx -> ctx.ok())
                .command("inherits", new Marked(), Marked.class.getMethod("inherits", Context.class))
                .command("own", new Marked(), Marked.class.getMethod("own", Context.class))
                .use(10, PASS)
                .use(20, Execution.NON_BLOCKING, PASS)
                .use(30, Execution.VIRTUAL_THREAD, PASS, "nbUnderVt")
                .use(40, Execution.BLOCKING, PASS, "vtUnderBlocking")
                .build(Execution.NON_BLOCKING);
        assertThat(table.mode("nb")).isEqualTo(Execution.NON_BLOCKING);
        assertThat(table.mode("vt")).isEqualTo(VIRTUAL);
        assertThat(table.mode("plain")).as("the default").isEqualTo(Execution.NON_BLOCKING);
        assertThat(table.mode("nbUnderVt")).isEqualTo(VIRTUAL);
        assertThat(table.mode("vtUnderBlocking")).isEqualTo(Execution.BLOCKING);
        assertThat(table.mode("inherits")).as("the class's").isEqualTo(Execution.NON_BLOCKING);
        assertThat(table.mode("own")).as("the method's over the class's").isEqualTo(VIRTUAL);
        assertThat(table.mode("unknown")).as("the global middleware and the default").isEqualTo(Execution.NON_BLOCKING);
        assertThat(table.uniformMode()).isNull();
    }

    @Test
    void aTableOfOneModeSaysSoAndTheDefaultDefaultIsBlocking() {
        RouteTable table = RouteTable.builder().handle("a", ctx -> ctx.ok()).use(1, PASS).build();
        assertThat(table.uniformMode()).isEqualTo(Execution.BLOCKING);
    }

    @Test
    void twoModesOnOneMethodFailTheRegistration() {
        assertThatThrownBy(() -> RouteTable.builder().command("both", new Marked(),
                Marked.class.getMethod("both", Context.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declares more than one execution mode: [BLOCKING, NON_BLOCKING]");
    }
}
