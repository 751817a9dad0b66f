package dev.switchboard.router.metrics;

import com.codahale.metrics.Snapshot;
import dev.switchboard.router.backend.Backend;
import dev.switchboard.router.proxy.RouteBinding;

/**
 * Recent traffic of a route or backend, read from its metrics for the admin API and dashboard.
 *
 * @param requests    requests completed since the metrics were registered
 * @param ratePerSec  one-minute moving average of requests per second
 * @param p99Millis   99th percentile latency of the last 30–60 seconds, in milliseconds
 * @param errors5xx   5xx responses since registration
 */
public record Traffic(long requests, double ratePerSec, double p99Millis, long errors5xx) {

    public static final Traffic NONE = new Traffic(0, 0, 0, 0);

    public static Traffic of(Backend b) {
        return b.metricsSlot() instanceof TrafficMetrics t ? of(t) : NONE;
    }

    public static Traffic of(RouteBinding r) {
        return r.metricsSlot() instanceof TrafficMetrics t ? of(t) : NONE;
    }

    private static Traffic of(TrafficMetrics t) {
        Snapshot s = t.requests.getSnapshot();
        return new Traffic(t.requests.getCount(), t.requests.getOneMinuteRate(), s.get99thPercentile() / 1e6,
                t.responses[5].getCount());
    }
}
