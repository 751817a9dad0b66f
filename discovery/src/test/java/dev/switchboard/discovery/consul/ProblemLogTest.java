package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.discovery.ServiceSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per bad instance when it starts being skipped, none while it stays, a bounded burst. */
class ProblemLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConsulDiscovery.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final ProblemLog log = new ProblemLog("web");

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    private static InstanceParser.Parsed parsed(List<String> problems) {
        return new InstanceParser.Parsed(new ServiceSnapshot("web", List.of()), problems);
    }

    private List<String> messages() {
        return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void eachNewProblemGetsOneLineAndRepeatsStayQuiet() {
        log.report(parsed(List.of("port of n1/a: 0 (expected: 1..65535)", "address of n1/b: 'x y' (expected: a host name or IP)")));
        log.report(parsed(List.of("port of n1/a: 0 (expected: 1..65535)", "address of n1/b: 'x y' (expected: a host name or IP)")));
        log.report(parsed(List.of("port of n1/a: 0 (expected: 1..65535)", "address of n1/b: 'x y' (expected: a host name or IP)",
                "tags of n1/c: 513 tags (expected: at most 512)")));
        log.report(parsed(List.of()));
        assertThat(messages()).containsExactly(
                "WARN consul service web: instance skipped: port of n1/a: 0 (expected: 1..65535)",
                "WARN consul service web: instance skipped: address of n1/b: 'x y' (expected: a host name or IP)",
                "WARN consul service web: instance skipped: tags of n1/c: 513 tags (expected: at most 512)",
                "INFO consul service web: no more invalid instances");
    }

    @Test
    void aBurstIsCappedWithOneLineCountingTheRest() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add("port of n1/i" + i + ": 0 (expected: 1..65535)");
        }
        log.report(parsed(many));
        assertThat(messages()).hasSize(ProblemLog.MAX_LINES + 1);
        assertThat(messages().get(ProblemLog.MAX_LINES))
                .isEqualTo("WARN consul service web: 9980 more instances skipped as invalid, not listed (10000 skipped in all)");
    }
}
