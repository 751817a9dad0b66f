package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.config.TimeoutsConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects one service's meta settings per instance and settles each key by majority: the value
 * carried by the most instances wins, ties go to the smaller value, instances without the key do
 * not vote. Each losing value is reported with the instances that carry it.
 */
final class ServiceSettingsVotes {

    /** Receives a disagreement: the losing value's tag form, the reason, and its instances. */
    interface ConflictSink {
        void conflict(String tag, String reason, Set<InstanceId> instances);
    }

    private final String service;
    private final Map<String, TreeMap<String, TreeSet<InstanceId>>> votes = new HashMap<>();

    ServiceSettingsVotes(String service) {
        this.service = service;
    }

    void add(String key, String canonicalValue, InstanceId id) {
        votes.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(canonicalValue, v -> new TreeSet<>()).add(id);
    }

    /** The settled settings, or null if no instance set any; disagreements go to {@code sink}. */
    ConsulServiceSettings settings(ConflictSink sink) {
        if (votes.isEmpty()) {
            return null;
        }
        Map<String, String> chosen = new HashMap<>();
        for (String key : ConsulMeta.SETTINGS) {
            TreeMap<String, TreeSet<InstanceId>> byValue = votes.get(key);
            if (byValue == null) {
                continue;
            }
            String best = null;
            for (Map.Entry<String, TreeSet<InstanceId>> e : byValue.entrySet()) {
                if (best == null || e.getValue().size() > byValue.get(best).size()) {
                    best = e.getKey();
                }
            }
            chosen.put(key, best);
            for (Map.Entry<String, TreeSet<InstanceId>> e : byValue.entrySet()) {
                if (!e.getKey().equals(best)) {
                    sink.conflict("meta " + key + "=" + e.getKey(), "instances of " + service + " disagree; using "
                            + best + " carried by " + byValue.get(best).size() + " instance(s) against "
                            + e.getValue().size(), e.getValue());
                }
            }
        }
        String hash = chosen.get(ConsulMeta.HASH_KEY);
        TimeoutsConfig timeouts = new TimeoutsConfig(duration(chosen.get(ConsulMeta.TIMEOUT_CONNECT)),
                duration(chosen.get(ConsulMeta.TIMEOUT_RESPONSE)), duration(chosen.get(ConsulMeta.TIMEOUT_IDLE)));
        return new ConsulServiceSettings(chosen.get(ConsulMeta.STRATEGY),
                hash == null ? null : ConsulMeta.hashKey(hash), timeouts);
    }

    private static Duration duration(String canonical) {
        return canonical == null ? null : ConsulMeta.duration(canonical);
    }
}
