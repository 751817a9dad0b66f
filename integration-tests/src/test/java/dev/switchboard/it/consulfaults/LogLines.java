package dev.switchboard.it.consulfaults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures the WARN and ERROR lines of a logger and its children (e.g. {@code dev.switchboard})
 * while open, to count the lines a fault causes.
 */
final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogLines(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        appender.start();
        logger.addAppender(appender);
    }

    static LogLines capture(String loggerName) {
        return new LogLines(loggerName);
    }

    /** The formatted WARN and ERROR messages so far, each with its throwable class if it had one. */
    List<String> warnings() {
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                            : " [with a stack trace: " + e.getThrowableProxy().getClassName() + "]"))
                    .toList();
        }
    }

    /** The WARN and ERROR lines that contain {@code text}. */
    List<String> warningsContaining(String text) {
        return warnings().stream().filter(w -> w.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
