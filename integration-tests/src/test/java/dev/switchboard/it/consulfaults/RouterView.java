package dev.switchboard.it.consulfaults;

import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.it.Router;
import dev.switchboard.router.backend.BackendRegistry;
import java.time.Duration;
import java.util.TreeSet;

/** What a running router currently believes about a service, for assertions. */
final class RouterView {

    /** Flag of the long forms, shared with the router's fault tests. */
    static final boolean FULL = Boolean.getBoolean("switchboard.faults.full");

    private RouterView() {
    }

    /** {@code node/ID} of the instances in the router's catalog (empty if the service is unknown). */
    static TreeSet<String> catalogIds(Router router, String service) {
        TreeSet<String> ids = new TreeSet<>();
        ServiceSnapshot s = router.switchboard().catalog().service(service);
        if (s != null) {
            s.instances().forEach(i -> ids.add(i.id().toString()));
        }
        return ids;
    }

    /** {@code node/ID} of the backends the router would send the service's requests to. */
    static TreeSet<String> backendIds(Router router, String service) {
        TreeSet<String> ids = new TreeSet<>();
        BackendRegistry.Membership m = router.switchboard().registry().membership(service);
        if (m != null) {
            m.backends().forEach(b -> ids.add(b.id().toString()));
        }
        return ids;
    }

    /** Waits until the control thread has run every rebuild queued so far. */
    static void barrier(Router router) throws Exception {
        router.switchboard().refresh("test barrier: queued rebuilds have run");
    }

    static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    /** Time left of {@code total} since {@code startNanos}, at least 1 ns (for Awaitility's during()). */
    static Duration remaining(Duration total, long startNanos) {
        return Duration.ofNanos(Math.max(1, total.toNanos() - (System.nanoTime() - startNanos)));
    }
}
