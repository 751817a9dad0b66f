package dev.switchboard.discovery.consul;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the body of {@code /v1/health/service/<name>} into a {@link ServiceSnapshot}. The Consul
 * rules for one instance live here:
 * <ul>
 *   <li>address is {@code Service.Address}, else {@code Node.Address};</li>
 *   <li>identity is node name + service ID;</li>
 *   <li>health is the worst of its checks (node checks included); an unknown status counts as critical;</li>
 *   <li>node maintenance ({@code _node_maintenance}) and service maintenance
 *       ({@code _service_maintenance:<id>}) exclude the instance;</li>
 *   <li>routable when passing, or warning if {@code includeWarning};</li>
 *   <li>weight is {@code Weights.Passing} (or {@code Weights.Warning} for a warning instance), at least 1.</li>
 * </ul>
 * Weights above {@value #MAX_WEIGHT} are capped there. Bad entries (no node or ID, an address that
 * names no host (see {@link HostSyntax}), port outside 1..65535, duplicate identity, absurd tags)
 * are skipped and reported, one problem per entry, never thrown.
 */
public final class InstanceParser {

    static final int MAX_TAGS = 512;
    static final int MAX_TAG_LENGTH = 2048;
    static final int MAX_WEIGHT = 1_000_000;
    private static final Gson GSON = new Gson();

    /**
     * A parsed service: the snapshot plus one line per skipped entry saying which and why.
     *
     * @param problems in response order
     */
    public record Parsed(ServiceSnapshot snapshot, List<String> problems) {
        public Parsed {
            problems = List.copyOf(problems);
        }

        public int skipped() {
            return problems.size();
        }

        /** The first problem, or null if nothing was skipped. */
        public String firstProblem() {
            return problems.isEmpty() ? null : problems.get(0);
        }
    }

    private InstanceParser() {
    }

    /**
     * @throws ConsulRequestException if the body is not the expected JSON array
     */
    public static Parsed parse(String service, String json, boolean includeWarning) throws ConsulRequestException {
        Entry[] entries;
        try {
            entries = GSON.fromJson(json, Entry[].class);
        } catch (JsonParseException e) {
            throw new ConsulRequestException("health of " + service + ": malformed JSON ("
                    + ConsulHttp.describe(e) + ")", e);
        }
        List<ServiceInstance> out = new ArrayList<>(entries == null ? 0 : entries.length);
        Set<InstanceId> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Entry e : entries == null ? new Entry[0] : entries) {
            String problem;
            try {
                problem = convert(service, e, includeWarning, seen, out);
            } catch (RuntimeException ex) {
                problem = "invalid entry (" + ConsulHttp.describe(ex) + ")";
            }
            if (problem != null) {
                problems.add(problem);
            }
        }
        return new Parsed(new ServiceSnapshot(service, out), problems);
    }

    /** Adds the instance to {@code out} if routable; returns why it was skipped as bad data, else null. */
    private static String convert(String service, Entry e, boolean includeWarning, Set<InstanceId> seen,
            List<ServiceInstance> out) {
        if (e == null || e.node == null || e.service == null) {
            return "entry without Node or Service";
        }
        String node = e.node.name;
        String sid = e.service.id;
        if (node == null || node.isBlank() || sid == null || sid.isBlank()) {
            return "node/ID: " + node + "/" + sid + " (expected: both non-empty)";
        }
        InstanceId id = new InstanceId(node, sid);
        String given = e.service.address != null && !e.service.address.isBlank()
                ? e.service.address.strip() : e.node.address == null ? "" : e.node.address.strip();
        String address = HostSyntax.normalize(given);
        if (address == null) {
            return "address of " + id + ": '" + ConsulHttp.brief(given) + "' (expected: a host name or IP)";
        }
        long port = e.service.port == null ? 0 : e.service.port;
        if (port < 1 || port > 65535) {
            return "port of " + id + ": " + port + " (expected: 1..65535)";
        }
        List<String> tags = e.service.tags == null ? List.of() : e.service.tags;
        String tagProblem = tagProblem(tags);
        if (tagProblem != null) {
            return "tags of " + id + ": " + tagProblem;
        }
        InstanceHealth health = InstanceHealth.PASSING;
        if (e.checks != null) {
            for (Check c : e.checks) {
                if (c == null) {
                    continue;
                }
                if ("_node_maintenance".equals(c.checkId) || ("_service_maintenance:" + sid).equals(c.checkId)) {
                    health = InstanceHealth.CRITICAL; // in maintenance: not routable, not bad data
                }
                health = worse(health, status(c.status));
            }
        }
        if (health == InstanceHealth.WARNING && !includeWarning) {
            health = InstanceHealth.CRITICAL;
        }
        // Unroutable instances stay in the snapshot, marked critical: their tags keep their routes
        // (answering 503 while every instance is down) instead of letting a shorter prefix of another
        // service catch the traffic. The router gives them no traffic.
        if (!seen.add(id)) {
            return "duplicate identity " + id;
        }
        Long w = e.service.weights == null ? null
                : health == InstanceHealth.WARNING ? e.service.weights.warning : e.service.weights.passing;
        int weight = w == null ? 1 : (int) Math.min(MAX_WEIGHT, Math.max(1, w));
        TreeMap<String, String> meta = new TreeMap<>();
        if (e.service.meta != null) {
            e.service.meta.forEach((k, v) -> {
                if (k != null && v != null) {
                    meta.put(k, v);
                }
            });
        }
        out.add(new ServiceInstance(id, service, address, (int) port, weight, health, tags, meta));
        return null;
    }

    private static String tagProblem(List<String> tags) {
        if (tags.size() > MAX_TAGS) {
            return tags.size() + " tags (expected: at most " + MAX_TAGS + ")";
        }
        for (String t : tags) {
            if (t == null) {
                return "null tag (expected: strings)";
            }
            if (t.length() > MAX_TAG_LENGTH) {
                return "a tag of " + t.length() + " chars (expected: at most " + MAX_TAG_LENGTH + ")";
            }
            if (t.chars().anyMatch(Character::isISOControl)) {
                return "a tag with control characters (expected: printable text)";
            }
        }
        return null;
    }

    static InstanceHealth status(String s) {
        if (s == null) {
            return InstanceHealth.CRITICAL;
        }
        return switch (s) {
            case "passing" -> InstanceHealth.PASSING;
            case "warning" -> InstanceHealth.WARNING;
            default -> InstanceHealth.CRITICAL;
        };
    }

    private static InstanceHealth worse(InstanceHealth a, InstanceHealth b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    // Consul's JSON, only the fields we read. Converted at once; never leaves this class.
    static final class Entry {
        @SerializedName("Node") NodeDto node;
        @SerializedName("Service") ServiceDto service;
        @SerializedName("Checks") List<Check> checks;
    }

    static final class NodeDto {
        @SerializedName("Node") String name;
        @SerializedName("Address") String address;
    }

    static final class ServiceDto {
        @SerializedName("ID") String id;
        @SerializedName("Service") String service;
        @SerializedName("Tags") List<String> tags;
        @SerializedName("Address") String address;
        @SerializedName("Port") Long port;
        @SerializedName("Meta") Map<String, String> meta;
        @SerializedName("Weights") Weights weights;
    }

    static final class Weights {
        @SerializedName("Passing") Long passing;
        @SerializedName("Warning") Long warning;
    }

    static final class Check {
        @SerializedName("CheckID") String checkId;
        @SerializedName("Status") String status;
    }
}
