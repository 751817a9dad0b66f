package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import java.util.List;

/**
 * Something wrong with routing data in Consul, for the caller to log: one problem per service, tag
 * and reason, listing every instance that carries it (so 10,000 instances with one bad tag make
 * one log line, not 10,000).
 *
 * @param service   the Consul service
 * @param tag       the offending tag, or {@code meta <key>=<value>} for service meta
 * @param reason    what is wrong and whether the route was dropped
 * @param instances the instances carrying it, sorted
 */
public record ConsulProblem(String service, String tag, String reason, List<InstanceId> instances) {

    public ConsulProblem {
        instances = List.copyOf(instances);
    }

    /** One line for the log: service, tag, reason and a few of the instances. */
    public String describe() {
        return "consul service " + service + " " + RouteValidator.quote(tag) + ": " + reason + " (on "
                + ConsulMerge.describeInstances(new java.util.TreeSet<>(instances)) + ")";
    }
}
