package dev.wsrv.test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the embedded containers' java.util.logging INFO lines down to WARNING while a kit server runs, and back when
 * the last one stops. A logger whose level the application set itself (a {@code logging.properties} line such as
 * {@code org.jboss.weld.level = INFO}) is left alone, and {@code -Dwsrv.test.quietLogs=false} leaves them all alone.
 */
final class QuietContainerLogs {

    /** The system property that keeps the containers' INFO lines when {@code false}. */
    static final String PROPERTY = "wsrv.test.quietLogs";

    /** Weld, Grizzly, Tyrus, Hibernate Validator (Weld and Hibernate Validator log through JBoss Logging to JUL). */
    static final List<String> LOGGERS = List.of("org.jboss.weld", "org.glassfish.grizzly", "org.glassfish.tyrus",
            "org.hibernate.validator");

    private static int users;
    /** Strong references: java.util.logging keeps loggers weakly, and a collected one would lose its level. */
    private static final List<Logger> lowered = new ArrayList<>();

    private QuietContainerLogs() {
    }

    static synchronized void acquire() {
        if (users++ > 0 || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return;
        }
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
                lowered.add(logger);
            }
        }
    }

    static synchronized void release() {
        if (users == 0 || --users > 0) {
            return;
        }
        for (Logger logger : lowered) {
            logger.setLevel(null);
        }
        lowered.clear();
    }
}
