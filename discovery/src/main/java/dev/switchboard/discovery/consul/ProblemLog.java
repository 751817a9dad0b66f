package dev.switchboard.discovery.consul;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs bad instance data of one service once per change: a line when instances start being
 * skipped (with the count and the first reason), another when the set of problems changes, one
 * when they are gone. Repeated reads of the same bad data stay quiet.
 */
final class ProblemLog {

    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);

    private final String service;
    private String last;

    ProblemLog(String service) {
        this.service = service;
    }

    void report(InstanceParser.Parsed parsed) {
        String now = parsed.skipped() == 0 ? null : parsed.skipped() + ": " + parsed.firstProblem();
        if (now == null ? last == null : now.equals(last)) {
            return;
        }
        if (now == null) {
            log.info("consul service {}: no more invalid instances", service);
        } else {
            log.warn("consul service {}: skipped {} invalid instance(s), first: {}", service, parsed.skipped(),
                    parsed.firstProblem());
        }
        last = now;
    }
}
