package dev.switchboard.router.runtime;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Switchboard's default logging, set up in code: one line per event on stdout, INFO and above, the
 * chatty libraries (XNIO, JBoss, Undertow, Apache HttpClient) at WARN. Logback finds it through
 * {@code META-INF/services}; building it directly instead of reading an XML file took the first log
 * call from 370 to 150–230 ms, which counts toward the time to the first routed request
 * (bench/RESULTS.md, 2026-11-22 startup entry).
 *
 * <p>An XML configuration still wins: {@code -Dlogback.configurationFile=FILE}, or a
 * {@code logback.xml} / {@code logback-test.xml} on the classpath, is left to logback's own
 * configurator.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** The line format: ISO-8601 UTC time, level, thread, logger, message. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{36} - %msg%n";

    private static final String[] QUIET = {"org.xnio", "org.jboss", "io.undertow", "org.apache.http"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (xmlConfigured()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean xmlConfigured() {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return true;
        }
        ClassLoader loader = ConsoleLogging.class.getClassLoader();
        return loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
                || loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null;
    }
}
