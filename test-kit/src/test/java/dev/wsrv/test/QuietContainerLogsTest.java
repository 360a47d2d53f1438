package dev.wsrv.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.wsrv.embedded.EmbeddedServer;
import dev.wsrv.it.support.LogCapture;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The containers' INFO lines while a kit server runs: turned down to WARNING, back afterwards, and kept with the
 * system property or a level the application set. Runs a sample test class through the JUnit launcher and records
 * every log record of the JVM meanwhile.
 */
class QuietContainerLogsTest {

    /** A test class as a user writes it; run only by these tests (surefire leaves nested classes alone). */
    @WsrvTest(beans = RoomCommands.class)
    static class Sample {
        static Level weldLevelDuringTest;

        @Test
        void runs(EmbeddedServer server) {
            weldLevelDuringTest = Logger.getLogger("org.jboss.weld").getLevel();
        }
    }

    private LogCapture records;

    @BeforeEach
    void record() {
        records = LogCapture.of("");
    }

    @AfterEach
    void stopRecording() {
        records.close();
        System.clearProperty(QuietContainerLogs.PROPERTY);
    }

    @Test
    void containerInfoLinesAreTurnedDownWhileTheServerRunsAndBackAfter() {
        run(Sample.class);
        assertThat(Sample.weldLevelDuringTest).isEqualTo(Level.WARNING);
        assertThat(containerInfo()).isEmpty();
        for (String name : QuietContainerLogs.LOGGERS) {
            assertThat(Logger.getLogger(name).getLevel()).as(name + " after the class").isNull();
        }
    }

    @Test
    void theSystemPropertyKeepsThem() {
        System.setProperty(QuietContainerLogs.PROPERTY, "false");
        run(Sample.class);
        assertThat(Sample.weldLevelDuringTest).isNull();
        assertThat(containerInfo()).as("Weld's start-up lines").anyMatch(r -> r.getLoggerName().startsWith("org.jboss.weld"));
    }

    @Test
    void aLevelTheApplicationSetIsKept() {
        Logger weld = Logger.getLogger("org.jboss.weld");
        weld.setLevel(Level.INFO);
        try {
            run(Sample.class);
            assertThat(Sample.weldLevelDuringTest).isEqualTo(Level.INFO);
            assertThat(containerInfo()).anyMatch(r -> r.getLoggerName().startsWith("org.jboss.weld"))
                    .noneMatch(r -> r.getLoggerName().startsWith("org.glassfish.grizzly"));
        } finally {
            weld.setLevel(null);
        }
    }

    private List<LogRecord> containerInfo() {
        return records.records().stream().filter(r -> r.getLevel().intValue() <= Level.INFO.intValue()
                && r.getLevel().intValue() >= Level.INFO.intValue()
                && QuietContainerLogs.LOGGERS.stream().anyMatch(n -> r.getLoggerName() != null
                        && r.getLoggerName().startsWith(n))).toList();
    }

    private static void run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).as("failures of " + testClass.getSimpleName()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }
}
