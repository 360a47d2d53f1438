package dev.wsrv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.LogCapture;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WsrvThreadsTest {

    /** The threads a container's factory would make: recognisable by their group. */
    private static final ThreadGroup CONTAINER = new ThreadGroup("container");
    private static final ThreadFactory FACTORY = r -> new Thread(CONTAINER, r, "container-thread");
    /** The names a fake JNDI resolves. */
    private static final Map<String, Object> NAMES = Map.of(WsrvThreads.DEFAULT_FACTORY, FACTORY,
            "java:app/notAFactory", "text");

    @AfterEach
    void noJndi() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    }

    @Test
    void withoutJndiTheDefaultNameGivesWsrvsOwnDaemonThreadsWithoutAWarning() {
        try (LogCapture log = LogCapture.of(WsrvThreads.class.getName())) {
            WsrvThreads threads = WsrvThreads.of(WsrvThreads.DEFAULT_FACTORY);
            assertThat(threads.resolve()).isFalse();
            Thread t = threads.factory("wsrv-worker-").newThread(() -> { });
            assertThat(t.getName()).isEqualTo("wsrv-worker-1");
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getContextClassLoader()).isSameAs(Thread.currentThread().getContextClassLoader());
            assertThat(log.atLeast(Level.WARNING)).isEmpty();
        }
    }

    @Test
    void noneGivesWsrvsOwnThreadsWithoutAWarningEvenWithJndi() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
        try (LogCapture log = LogCapture.of(WsrvThreads.class.getName())) {
            assertThat(WsrvThreads.of(WsrvThreads.NONE).resolve()).isFalse();
            assertThat(WsrvThreads.of("").resolve()).isFalse();
            assertThat(log.atLeast(Level.WARNING)).isEmpty();
        }
    }

    @Test
    void aNameThatResolvesToAThreadFactoryMakesEveryThreadThereUnderWsrvsName() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
        WsrvThreads threads = WsrvThreads.of(WsrvThreads.DEFAULT_FACTORY);
        assertThat(threads.resolve()).isTrue();
        Thread t = threads.newThread(() -> { }, "wsrv-idle-sweeper");
        assertThat(t.getThreadGroup()).isSameAs(CONTAINER);
        assertThat(t.getName()).isEqualTo("wsrv-idle-sweeper");
    }

    @Test
    void aNameThatDoesNotResolveIsOneWarningNamingTheSettingAndTheFallback() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
        for (String name : new String[] {"java:app/missing", "java:app/notAFactory"}) {
            try (LogCapture log = LogCapture.of(WsrvThreads.class.getName())) {
                WsrvThreads threads = WsrvThreads.of(name);
                assertThat(threads.resolve()).isFalse();
                assertThat(threads.newThread(() -> { }, "wsrv-worker-1").getThreadGroup()).isNotSameAs(CONTAINER);
                assertThat(threads.resolve()).isFalse(); // looked up once: no second WARN
                assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(r -> assertThat(r.getMessage())
                        .contains("wsrv.workers.threadFactory=" + name, "wsrv runs on threads of its own"));
            }
        }
    }

    @Test
    void anEarlyLookupThatFindsNothingLeavesTheNameForLaterWithoutAWarning() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
        try (LogCapture log = LogCapture.of(WsrvThreads.class.getName())) {
            WsrvThreads missing = WsrvThreads.of("java:app/later");
            assertThat(missing.resolveEarly()).isFalse();
            assertThat(log.atLeast(Level.WARNING)).isEmpty();
            assertThat(missing.resolve()).isFalse();
            assertThat(log.atLeast(Level.WARNING)).hasSize(1);
            assertThat(WsrvThreads.of(WsrvThreads.DEFAULT_FACTORY).resolveEarly()).isTrue();
        }
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        // no JNDI at all: settled at once, on wsrv's own threads
        WsrvThreads embedded = WsrvThreads.of(WsrvThreads.DEFAULT_FACTORY);
        assertThat(embedded.resolveEarly()).isTrue();
        assertThat(embedded.resolve()).isFalse();
    }

    @Test
    void anotherNameWithoutJndiIsOneWarning() {
        try (LogCapture log = LogCapture.of(WsrvThreads.class.getName())) {
            assertThat(WsrvThreads.of("java:app/virtual").resolve()).isFalse();
            assertThat(log.atLeast(Level.WARNING)).singleElement().satisfies(r -> assertThat(r.getMessage())
                    .contains("wsrv.workers.threadFactory=java:app/virtual", "there is no JNDI here"));
        }
    }

    /** A JNDI whose context resolves {@link #NAMES} and nothing else. */
    public static final class FakeJndi implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("lookup") && args[0] instanceof String name) {
                            Object found = NAMES.get(name);
                            if (found == null) {
                                throw new NameNotFoundException(name);
                            }
                            return found;
                        }
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
