package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.route;
import static dev.switchboard.router.table.Routes.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteTable#match} runs once per request on an IO thread and must not allocate. Counts the
 * bytes this thread allocates over many matches (a HotSpot counter, not a timing); the per-match
 * figure must stay well under the size of one object.
 */
class RouteTableAllocationTest {

    @Test
    void matchingAllocatesNothing() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());

        RouteTable t = table(
                route("exact", "api.example.com", "/v1/users", "a"),
                route("wild", "*.example.com", "/static/", "b"),
                route("cond", null, "/api", List.of("POST"), Map.of("X-Canary", "1"), "c", "config"),
                route("any", null, "/", "d"));
        HeaderLookup headers = name -> name.equals("x-canary") ? "1" : null;
        String[] hosts = {"API.example.com:8443", "cdn.Example.com", "other.org", "[::1]:80"};
        String[] paths = {"/v1/users/42", "/static/app.js", "/api/orders", "/apix"};
        int sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up, so the JIT is not counted
            sink += t.match(hosts[i & 3], "POST", paths[(i >> 2) & 3], headers).name().length();
        }
        int n = 200_000;
        long thread = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < n; i++) {
            sink += t.match(hosts[i & 3], "POST", paths[(i >> 2) & 3], headers).name().length();
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertThat(sink).isPositive();
        // one 16-byte object per match would be 3.2 MB; the counter itself may cost a few hundred bytes
        assertThat(allocated).as("bytes allocated by %d matches", n).isLessThan(64 * 1024);
    }
}
