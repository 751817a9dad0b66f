package dev.switchboard.router.health;

import dev.switchboard.discovery.InstanceId;
import java.util.ArrayList;
import java.util.List;

/** Test fake of {@link HealthEvents}: one line per event, in arrival order. */
final class RecordingEvents implements HealthEvents {

    private final List<String> lines = new ArrayList<>();

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    synchronized void clear() {
        lines.clear();
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    @Override
    public void circuitChanged(String service, InstanceId backend, CircuitBreaker.State from,
            CircuitBreaker.State to, String reason) {
        add("circuit " + backend + " " + from + "->" + to + " " + reason);
    }

    @Override
    public void ejected(String service, InstanceId backend, long durationNanos, int times, String reason) {
        add("ejected " + backend + " " + durationNanos / 1_000_000 + "ms #" + times + " " + reason);
    }

    @Override
    public void ejectionSkipped(String service, InstanceId backend, String reason) {
        add("skipped " + backend + " " + reason);
    }

    @Override
    public void returned(String service, InstanceId backend) {
        add("returned " + backend);
    }

    @Override
    public void signalChanged(String service, InstanceId backend, BackendHealth.Signal signal, boolean healthy,
            String reason) {
        add("signal " + backend + " " + signal + " " + (healthy ? "healthy" : "unhealthy") + " " + reason);
    }

    @Override
    public void panicChanged(String service, boolean panic, int healthy, int total) {
        add("panic " + service + " " + panic + " " + healthy + "/" + total);
    }
}
