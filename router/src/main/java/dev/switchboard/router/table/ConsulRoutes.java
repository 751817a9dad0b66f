package dev.switchboard.router.table;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.config.RouteConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Routes and service settings from Consul data, compatible with Fabio's {@code urlprefix-} tags.
 * Pure and fast (parses each distinct tag once per service); never throws on bad Consul data,
 * reports it as {@link ConsulProblem}s instead.
 *
 * <h2>Route sources on an instance</h2>
 * <ul>
 *   <li>Tags {@code urlprefix-<spec>} (Fabio's default tag prefix; configurable).</li>
 *   <li>Meta {@code switchboard-route} and any {@code switchboard-route-<suffix>} key: one or more
 *       specs separated by {@code ;} ({@code "/api strip=/api; admin.example.com/"}). Not {@code ,}:
 *       Fabio option values contain commas. Extra keys help with Consul's 512-character meta values.</li>
 * </ul>
 * A spec is {@code [host]/path} followed by whitespace-separated {@code key=value} options. The host
 * is exact or {@code *.domain} (lower-cased), empty for any host; the path must be normalized.
 * One deliberate difference from Fabio: prefixes match on segment boundaries
 * ({@code urlprefix-/api} serves {@code /api/x} but not {@code /apix}, which Fabio's plain string
 * prefix would), as everywhere in {@link RouteTable}.
 *
 * <h2>Fabio options</h2>
 * <table>
 *   <caption>What is supported</caption>
 *   <tr><td>{@code strip=/p}</td><td>supported when {@code /p} is a segment-boundary prefix of the route
 *       path (it always applies then); becomes strip-prefix or replace-prefix</td></tr>
 *   <tr><td>{@code prepend=/p}</td><td>supported, applied after {@code strip=} as in Fabio:
 *       {@code urlprefix-/foo/bar strip=/foo prepend=/baz} forwards {@code /foo/bar/x} as {@code /baz/bar/x}</td></tr>
 *   <tr><td>{@code weight=w}</td><td>supported: this service's fixed share of the route when several
 *       services declare it ({@code 0.05} is 5%); services without one share the rest; {@code w <= 0}
 *       means no fixed share; at most 100</td></tr>
 *   <tr><td>{@code proto=http}, {@code tlsskipverify=false}</td><td>accepted (the defaults)</td></tr>
 *   <tr><td>{@code host=dst}</td><td>supported: send the backend's {@code host:port} as Host
 *       (preserve-host off for the route)</td></tr>
 *   <tr><td>{@code register=name}</td><td>ignored and reported; the route is kept (it only registers
 *       a name in Consul, which does not change routing)</td></tr>
 *   <tr><td>{@code proto=https|grpc|grpcs|tcp}, {@code tlsskipverify=true}, {@code host=<name>},
 *       {@code redirect=}, {@code auth=}, {@code allow=}, {@code deny=}, {@code pxyproto=}, unknown
 *       options, TCP specs ({@code :port}), host globs other than a leading {@code *.},
 *       {@code $ENV} expansion</td><td>not supported: the route is dropped and reported, never served
 *       differently from what the tag asked for (e.g. without its access control)</td></tr>
 * </table>
 *
 * <h2>Service settings in meta</h2>
 * {@code switchboard-strategy} (a strategy name), {@code switchboard-hash-key} ({@code client_ip},
 * {@code path}, {@code header:<name>}, {@code cookie:<name>}), {@code switchboard-timeout-connect},
 * {@code -response}, {@code -idle} (Go durations: {@code 250ms}, {@code 2s}, {@code 1m30s}). When
 * instances disagree, the value carried by the most instances wins (ties: the smaller value) and
 * the disagreement is reported; instances without the key do not vote. Invalid values and unknown
 * {@code switchboard-} keys are reported and ignored.
 *
 * <p>Identical specs on several instances of a service become one {@link RouteDefinition} for those
 * instances; {@link RouteTableBuilder} merges further across services.
 */
public final class ConsulRoutes {

    /** Fabio's default tag prefix. */
    public static final String DEFAULT_TAG_PREFIX = "urlprefix-";

    /**
     * The outcome for one catalog.
     *
     * @param routes   one definition per distinct route and service, with the instances declaring it
     * @param services settings from meta by service name, only for services that set any
     * @param problems sorted by service, tag and reason
     */
    public record Result(List<RouteDefinition> routes, SortedMap<String, ConsulServiceSettings> services,
                         List<ConsulProblem> problems) {
        public Result {
            routes = List.copyOf(routes);
            services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
            problems = List.copyOf(problems);
        }
    }

    private record DefinitionKey(RouteConfig config, double share) {
    }

    private record ProblemKey(String service, String tag, String reason) {
    }

    private final String tagPrefix;

    public ConsulRoutes() {
        this(DEFAULT_TAG_PREFIX);
    }

    public ConsulRoutes(String tagPrefix) {
        if (tagPrefix == null || tagPrefix.isBlank()) {
            throw new IllegalArgumentException("tagPrefix: " + RouteValidator.quote(tagPrefix) + " (expected: non-empty)");
        }
        this.tagPrefix = tagPrefix;
    }

    public Result routes(CatalogSnapshot catalog) {
        Map<DefinitionKey, TreeSet<InstanceId>> definitions = new LinkedHashMap<>();
        Map<ProblemKey, TreeSet<InstanceId>> problems = new HashMap<>();
        SortedMap<String, ConsulServiceSettings> settings = new TreeMap<>();
        for (ServiceSnapshot service : catalog.services().values()) {
            Map<String, UrlPrefixParser.Parsed> cache = new HashMap<>();
            ServiceSettingsVotes votes = new ServiceSettingsVotes(service.name());
            for (ServiceInstance instance : service.routable()) {
                routesOf(service.name(), instance, cache, definitions, problems);
                for (Map.Entry<String, String> meta : instance.meta().entrySet()) {
                    String key = meta.getKey();
                    String value = meta.getValue() == null ? "" : meta.getValue();
                    if (ConsulMeta.isRouteKey(key)) {
                        continue; // read by routesOf
                    }
                    if (ConsulMeta.SETTINGS.contains(key)) {
                        String canonical = ConsulMeta.canonical(key, value);
                        if (canonical == null) {
                            problem(problems, service.name(), "meta " + key + "=" + value,
                                    "invalid value (expected: " + ConsulMeta.expected(key) + "); ignored", instance.id());
                        } else {
                            votes.add(key, canonical, instance.id());
                        }
                    } else if (key.startsWith(ConsulMeta.PREFIX)) {
                        problem(problems, service.name(), "meta " + key + "=" + value,
                                "unknown Switchboard meta key (expected: " + ConsulMeta.ROUTE + "[-*], "
                                        + String.join(", ", ConsulMeta.SETTINGS) + "); ignored", instance.id());
                    }
                }
            }
            ConsulServiceSettings s = votes.settings((tag, reason, ids) -> ids.forEach(
                    id -> problem(problems, service.name(), tag, reason, id)));
            if (s != null) {
                settings.put(service.name(), s);
            }
        }
        keepRoutesOfUnroutableInstances(catalog, definitions);
        List<RouteDefinition> routes = new ArrayList<>(definitions.size());
        definitions.forEach((k, ids) -> routes.add(new RouteDefinition(k.config(), ids, k.share())));
        List<ConsulProblem> problemList = new ArrayList<>(problems.size());
        problems.forEach((k, ids) -> problemList.add(new ConsulProblem(k.service(), k.tag(), k.reason(), new ArrayList<>(ids))));
        problemList.sort(Comparator.comparing(ConsulProblem::service).thenComparing(ConsulProblem::tag)
                .thenComparing(ConsulProblem::reason));
        return new Result(routes, settings, problemList);
    }

    /** The routes one instance declares in its tags and route meta keys. */
    private void routesOf(String service, ServiceInstance instance, Map<String, UrlPrefixParser.Parsed> cache,
                          Map<DefinitionKey, TreeSet<InstanceId>> definitions, Map<ProblemKey, TreeSet<InstanceId>> problems) {
        for (String tag : instance.tags()) {
            String t = tag.strip();
            if (t.startsWith(tagPrefix)) {
                add(service, tag, parse(cache, service, t.substring(tagPrefix.length())), instance.id(), definitions, problems);
            }
        }
        for (Map.Entry<String, String> meta : instance.meta().entrySet()) {
            if (ConsulMeta.isRouteKey(meta.getKey())) {
                String value = meta.getValue() == null ? "" : meta.getValue();
                for (String spec : value.split(";")) {
                    if (!spec.isBlank()) {
                        add(service, "meta " + meta.getKey() + "=" + spec.strip(), parse(cache, service, spec),
                                instance.id(), definitions, problems);
                    }
                }
            }
        }
    }

    /**
     * Routes that only unroutable (critical, maintenance) instances declare are kept, naming those
     * instances, so they answer 503 rather than let a shorter prefix of another service catch the
     * traffic. Only where no routable instance serves the same host and path: a service whose
     * instances are all down takes no share of a split, and unroutable instances never vote on a
     * route's variant or the service's settings. Their tag problems are not reported.
     */
    private void keepRoutesOfUnroutableInstances(CatalogSnapshot catalog, Map<DefinitionKey, TreeSet<InstanceId>> definitions) {
        Set<String> served = new HashSet<>();
        definitions.keySet().forEach(k -> served.add(k.config().host() + " " + k.config().path()));
        Map<DefinitionKey, TreeSet<InstanceId>> unroutable = new LinkedHashMap<>();
        for (ServiceSnapshot service : catalog.services().values()) {
            Map<String, UrlPrefixParser.Parsed> cache = new HashMap<>();
            for (ServiceInstance instance : service.instances()) {
                if (instance.health() == InstanceHealth.CRITICAL) {
                    routesOf(service.name(), instance, cache, unroutable, new HashMap<>());
                }
            }
        }
        unroutable.forEach((k, ids) -> {
            if (!served.contains(k.config().host() + " " + k.config().path())) {
                definitions.computeIfAbsent(k, x -> new TreeSet<>()).addAll(ids);
            }
        });
    }

    /** Parses a spec once per service and validates the route as the builder will. */
    private static UrlPrefixParser.Parsed parse(Map<String, UrlPrefixParser.Parsed> cache, String service, String spec) {
        return cache.computeIfAbsent(spec, s -> {
            UrlPrefixParser.Parsed p = UrlPrefixParser.parse(service, s);
            if (p.error() != null) {
                return p;
            }
            List<String> errors = new ArrayList<>();
            if (RouteValidator.check(p.route(), "", errors) == null) {
                StringBuilder reason = new StringBuilder();
                for (String e : errors) {
                    reason.append(e.substring(1)).append("; "); // drop the empty label's "."
                }
                return UrlPrefixParser.Parsed.error(reason.append("route dropped").toString());
            }
            return p;
        });
    }

    private static void add(String service, String tag, UrlPrefixParser.Parsed parsed, InstanceId id,
                            Map<DefinitionKey, TreeSet<InstanceId>> definitions,
                            Map<ProblemKey, TreeSet<InstanceId>> problems) {
        if (parsed.error() != null) {
            String reason = parsed.error().endsWith("route dropped") ? parsed.error() : parsed.error() + "; route dropped";
            problem(problems, service, tag, reason, id);
            return;
        }
        for (String note : parsed.notes()) {
            problem(problems, service, tag, note, id);
        }
        definitions.computeIfAbsent(new DefinitionKey(parsed.route(), parsed.share()), k -> new TreeSet<>()).add(id);
    }

    private static void problem(Map<ProblemKey, TreeSet<InstanceId>> problems, String service, String tag,
                                String reason, InstanceId id) {
        problems.computeIfAbsent(new ProblemKey(service, tag, reason), k -> new TreeSet<>()).add(id);
    }
}
