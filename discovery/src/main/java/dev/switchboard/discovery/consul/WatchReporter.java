package dev.switchboard.discovery.consul;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one watch's outcomes to the shared {@link SyncStatus} and the log: one line when it
 * starts failing or its error changes, one when it recovers, one when Consul starts or stops
 * hiding results because of ACLs (then the watch counts as failing although its reads succeed). Used from the watch's own thread only.
 */
final class WatchReporter {

    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);

    private final String watch;
    private final SyncStatus status;
    private String lastMessage;
    private boolean loggedFailure;
    private volatile String aclWarning;
    private String reportedAcl;

    WatchReporter(String watch, SyncStatus status) {
        this.watch = watch;
        this.status = status;
    }

    String watch() {
        return watch;
    }

    /** Set by the query from the response headers of each request; null when nothing is hidden. */
    void aclWarning(String warning) {
        this.aclWarning = warning;
    }

    void success(int failuresBefore) {
        if (failuresBefore > 0) {
            if (loggedFailure) {
                log.info("consul {}: recovered after {} failed requests", watch, failuresBefore);
            } else if (log.isDebugEnabled()) {
                log.debug("consul {}: recovered after {} failed requests", watch, failuresBefore);
            }
            loggedFailure = false;
            String summary = status.outageLog().recovered(watch);
            if (summary != null) {
                log.info("consul: {}", summary);
            }
        }
        lastMessage = null;
        String acl = aclWarning;
        if (acl != null) {
            status.touch();
            if (!acl.equals(reportedAcl)) {
                String msg = watch + ": " + acl;
                log.warn("consul {}", msg);
                status.error(watch, msg);
                reportedAcl = acl;
            }
            return;
        }
        if (reportedAcl != null) {
            log.info("consul {}: results no longer hidden by ACLs", watch);
            reportedAcl = null;
        }
        status.success(watch);
    }

    void error(Exception e, int failures, Duration retryIn) {
        String msg = e instanceof ConsulRequestException ? e.getMessage() : watch + ": " + ConsulHttp.describe(e);
        status.error(watch, msg);
        if (!msg.equals(lastMessage)) {
            if (status.outageLog().failing(watch, OutageLog.kind(e))) {
                log.warn("consul {} failing ({}); retry in {} ms, keeping the last known instances"
                        + " (other watches failing the same way are logged at DEBUG)", watch, msg, retryIn.toMillis());
                loggedFailure = true;
            } else if (log.isDebugEnabled()) {
                log.debug("consul {} failing ({}); retry in {} ms", watch, msg, retryIn.toMillis());
            }
            lastMessage = msg;
        } else if (log.isDebugEnabled()) {
            log.debug("consul {} failure #{} ({}); retry in {} ms", watch, failures, msg, retryIn.toMillis());
        }
    }
}
