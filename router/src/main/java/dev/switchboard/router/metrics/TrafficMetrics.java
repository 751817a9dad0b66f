package dev.switchboard.router.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;

/**
 * What every request records for a route or a backend: a latency timer (which is also the request
 * rate), responses by status class, bytes in and out. All updates are lock-free adders.
 */
class TrafficMetrics extends MetricGroup {

    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    final Timer requests;
    final Meter[] responses = new Meter[CLASSES.length];
    final Counter bytesIn;
    final Counter bytesOut;

    TrafficMetrics(MetricRegistry registry, MetricNames names, String prefix, String... labels) {
        super(registry, names, labels);
        requests = timer(prefix + ".requests");
        for (int i = 0; i < CLASSES.length; i++) {
            responses[i] = meter(prefix + ".responses." + CLASSES[i]);
        }
        bytesIn = counter(prefix + ".bytes_in");
        bytesOut = counter(prefix + ".bytes_out");
    }

    /** Index into {@link #responses} of a status code. */
    static int statusClass(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? c : 0;
    }

    void record(long nanos, int statusClass, long in, long out) {
        requests.update(nanos, TimeUnit.NANOSECONDS);
        responses[statusClass].mark();
        if (in > 0) {
            bytesIn.inc(in);
        }
        if (out > 0) {
            bytesOut.inc(out);
        }
    }
}
