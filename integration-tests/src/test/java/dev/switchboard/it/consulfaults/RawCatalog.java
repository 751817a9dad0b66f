package dev.switchboard.it.consulfaults;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.switchboard.discovery.consul.testing.ConsulAgent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code Catalog} cannot write: registrations with any JSON the agent accepts (bad ports,
 * absurd tags, odd addresses), catalog registrations on made-up nodes, bulk registrations in
 * transactions; and what the agent itself says is registered.
 */
final class RawCatalog {

    /** Consul's limit of operations per transaction. */
    static final int TXN_OPS = 64;
    private static final Gson GSON = new Gson();

    private final ConsulAgent agent;

    RawCatalog(ConsulAgent agent) {
        this.agent = agent;
    }

    /** {@code PUT /v1/agent/service/register} with {@code service} as the JSON body (on the agent's node). */
    void agentRegister(Map<String, Object> service) {
        agent.http("PUT", "/v1/agent/service/register", GSON.toJson(service));
    }

    /**
     * {@code PUT /v1/catalog/register}: one service on {@code node} (created with {@code nodeAddress}).
     * {@code service} is written as for the agent endpoint ({@code Name}); the catalog's {@code Service} is set from it.
     */
    void catalogRegister(String node, String nodeAddress, Map<String, Object> service) {
        agent.http("PUT", "/v1/catalog/register", GSON.toJson(Map.of("Node", node, "Address", nodeAddress,
                "Service", forCatalog(service))));
    }

    void catalogDeregister(String node, String serviceId) {
        agent.http("PUT", "/v1/catalog/deregister", GSON.toJson(Map.of("Node", node, "ServiceID", serviceId)));
    }

    /** Runs {@code ops} ({@code /v1/txn} operations) in transactions of at most {@value #TXN_OPS}. */
    void transactions(List<Map<String, Object>> ops) {
        for (int i = 0; i < ops.size(); i += TXN_OPS) {
            agent.http("PUT", "/v1/txn", GSON.toJson(ops.subList(i, Math.min(ops.size(), i + TXN_OPS))));
        }
    }

    /** A transaction operation that creates or updates {@code node}. */
    static Map<String, Object> nodeSet(String node, String address) {
        return Map.of("Node", Map.of("Verb", "set", "Node", Map.of("Node", node, "Address", address)));
    }

    /** A transaction operation that registers {@code service} on {@code node}. */
    static Map<String, Object> serviceSet(String node, Map<String, Object> service) {
        return Map.of("Service", Map.of("Verb", "set", "Node", node, "Service", forCatalog(service)));
    }

    /** The catalog's and transactions' form of an agent registration body: {@code Name} becomes {@code Service}. */
    private static Map<String, Object> forCatalog(Map<String, Object> agentForm) {
        Map<String, Object> m = new HashMap<>(agentForm);
        m.put("Service", m.remove("Name"));
        return m;
    }

    /** A transaction operation that deregisters instance {@code id} of {@code service} from {@code node}. */
    static Map<String, Object> serviceDelete(String node, String service, String id) {
        return Map.of("Service", Map.of("Verb", "delete", "Node", node, "Service", Map.of("Service", service, "ID", id)));
    }

    /** The {@code node/ID} of every passing instance of {@code service}, as the agent reports it. */
    TreeSet<String> passing(String service) {
        TreeSet<String> ids = new TreeSet<>();
        for (JsonElement e : JsonParser.parseString(agent.http("GET", "/v1/health/service/" + service + "?passing",
                null)).getAsJsonArray()) {
            ids.add(e.getAsJsonObject().getAsJsonObject("Node").get("Node").getAsString() + "/"
                    + e.getAsJsonObject().getAsJsonObject("Service").get("ID").getAsString());
        }
        return ids;
    }

    /** {@code n} tags {@code t0..t(n-1)}, after {@code first}. */
    static List<String> manyTags(String first, int n) {
        List<String> tags = new ArrayList<>(n + 1);
        tags.add(first);
        for (int i = 0; i < n; i++) {
            tags.add("t" + i);
        }
        return tags;
    }
}
