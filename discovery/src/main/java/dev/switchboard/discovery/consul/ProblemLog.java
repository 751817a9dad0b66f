package dev.switchboard.discovery.consul;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs bad instance data of one service once per change: one line for each entry that starts
 * being skipped (which instance and why), at most {@value #MAX_LINES} per read plus one line
 * counting the rest, and a line when none are left. Repeated reads of the same bad data stay quiet.
 */
final class ProblemLog {

    static final int MAX_LINES = 20;
    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);

    private final String service;
    private Set<String> last = Set.of();

    ProblemLog(String service) {
        this.service = service;
    }

    void report(InstanceParser.Parsed parsed) {
        Set<String> now = new LinkedHashSet<>(parsed.problems());
        if (now.equals(last)) {
            return;
        }
        if (now.isEmpty()) {
            log.info("consul service {}: no more invalid instances", service);
        } else {
            List<String> fresh = now.stream().filter(p -> !last.contains(p)).toList();
            for (String p : fresh.subList(0, Math.min(MAX_LINES, fresh.size()))) {
                log.warn("consul service {}: instance skipped: {}", service, p);
            }
            if (fresh.size() > MAX_LINES) {
                log.warn("consul service {}: {} more instances skipped as invalid, not listed ({} skipped in all)",
                        service, fresh.size() - MAX_LINES, now.size());
            }
        }
        last = now;
    }
}
