package dev.switchboard.router.table;

import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.table.RouteValidator.Checked;
import dev.switchboard.router.table.RouteValidator.MatchKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an immutable {@link RouteTable} from route definitions: a pure function, safe to call from
 * any thread. Every definition is validated (host syntax, normalized path, known methods, header
 * names, service, rewrite, timeouts, source); if any is invalid the build fails with all problems
 * listed, each naming the route and field ({@code routes[2].path: "api" (expected: starts with /)}).
 * Config routes are labelled {@code routes[i]} (their position among the config definitions),
 * others {@code <source> route "<name>"}.
 *
 * <p>Definitions with the same match key (host, path, methods, headers) are resolved by source
 * precedence, {@code config} &gt; {@code api} &gt; {@code consul}: the lower ones are dropped with a
 * warning. Two {@code config} (or two {@code api}) definitions with one key are an error. Consul
 * definitions of one key are merged by {@link ConsulMerge}: identical routes from different instances
 * of a service become one target whose instance set is the union, and different services become
 * weighted targets of one route.
 *
 * <p>Route names must be unique (they key metrics and in-flight limits): two config or API routes
 * with one name are an error; a Consul route whose derived name is taken is renamed
 * {@code <name>@consul}, with a warning.
 */
public final class RouteTableBuilder {

    private static final List<String> SOURCES = List.of("config", "api", "consul");

    private RouteTableBuilder() {
    }

    /** Precedence of a route source, 0 highest; -1 for an unknown source. */
    static int sourceRank(String source) {
        return SOURCES.indexOf(source);
    }

    /**
     * Validates config routes as {@link #build} would (fields, duplicates), without keeping the table.
     *
     * @return every problem, empty when the routes are valid
     */
    public static List<String> validate(List<RouteConfig> routes) {
        List<RouteDefinition> definitions = new ArrayList<>();
        for (RouteConfig r : routes) {
            definitions.add(RouteDefinition.of(r));
        }
        try {
            build(definitions);
            return List.of();
        } catch (RouteTableException e) {
            return e.errors();
        }
    }

    /**
     * Builds the table.
     *
     * @throws RouteTableException listing every invalid definition; nothing is built then
     */
    public static RouteTable build(List<RouteDefinition> definitions) throws RouteTableException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<MatchKey, List<ConsulMerge.Entry>> byKey = new LinkedHashMap<>();
        int configIndex = 0;
        for (RouteDefinition def : definitions) {
            String source = def.config().source();
            String label = "config".equals(source) ? "routes[" + configIndex++ + "]"
                    : source + " route " + RouteValidator.quote(def.config().name());
            Checked checked = RouteValidator.check(def.config(), label, errors);
            if (Double.isNaN(def.share()) || def.share() > ConsulMerge.MAX_SHARE) {
                errors.add(label + ".weight: " + def.share() + " (expected: a share <= " + ConsulMerge.MAX_SHARE
                        + ", or <= 0 for none)");
                checked = null;
            }
            if (checked != null) {
                byKey.computeIfAbsent(checked.matchKey(), k -> new ArrayList<>())
                        .add(new ConsulMerge.Entry(def, checked, label));
            }
        }
        List<Route> routes = new ArrayList<>();
        List<Route> consulRoutes = new ArrayList<>();
        Map<String, String> labelByName = new HashMap<>();
        for (Map.Entry<MatchKey, List<ConsulMerge.Entry>> e : byKey.entrySet()) {
            List<ConsulMerge.Entry> best = keepHighestPrecedence(e.getKey(), e.getValue(), warnings);
            String source = best.get(0).checked().source();
            if ("consul".equals(source)) {
                consulRoutes.add(ConsulMerge.merge(best, warnings));
            } else if (best.size() > 1) {
                for (ConsulMerge.Entry dup : best.subList(1, best.size())) {
                    errors.add(dup.label() + ": " + e.getKey() + " (expected: one route per host, path, methods"
                            + " and headers; " + best.get(0).label() + " has the same)");
                }
            } else {
                ConsulMerge.Entry en = best.get(0);
                String other = labelByName.putIfAbsent(en.checked().name(), en.label());
                if (other != null) {
                    errors.add(RouteValidator.error(en.label(), "name", en.checked().name(),
                            "a unique route name; " + other + " has it"));
                }
                routes.add(single(en));
            }
        }
        routes.addAll(uniquelyNamed(consulRoutes, labelByName.keySet(), warnings));
        if (!errors.isEmpty()) {
            throw new RouteTableException(errors);
        }
        return new RouteTable(routes, warnings);
    }

    /**
     * Route names key metrics and in-flight limits, so they must be unique. A Consul route whose
     * derived name ({@code host/path}) is taken gets the suffix {@code @consul} (then {@code -2}, ...).
     */
    private static List<Route> uniquelyNamed(List<Route> consul, Set<String> taken, List<String> warnings) {
        List<Route> sorted = new ArrayList<>(consul);
        sorted.sort(RouteTable.MATCH_ORDER);
        Set<String> names = new HashSet<>(taken);
        List<Route> out = new ArrayList<>();
        for (Route r : sorted) {
            String name = r.name();
            if (names.contains(name)) {
                name = r.name() + "@consul";
                for (int i = 2; names.contains(name); i++) {
                    name = r.name() + "@consul-" + i;
                }
                warnings.add("consul route " + RouteValidator.quote(r.name()) + " renamed to "
                        + RouteValidator.quote(name) + ": another route has that name");
                r = r.renamed(name);
            }
            names.add(name);
            out.add(r);
        }
        return out;
    }

    private static List<ConsulMerge.Entry> keepHighestPrecedence(MatchKey key, List<ConsulMerge.Entry> entries,
                                                                 List<String> warnings) {
        int bestRank = Integer.MAX_VALUE;
        for (ConsulMerge.Entry en : entries) {
            bestRank = Math.min(bestRank, sourceRank(en.checked().source()));
        }
        List<ConsulMerge.Entry> best = new ArrayList<>();
        for (ConsulMerge.Entry en : entries) {
            if (sourceRank(en.checked().source()) == bestRank) {
                best.add(en);
            }
        }
        for (ConsulMerge.Entry en : entries) {
            if (sourceRank(en.checked().source()) != bestRank) {
                warnings.add(en.label() + " (service " + en.checked().service() + ") on " + key
                        + " is shadowed by " + best.get(0).label());
            }
        }
        return best;
    }

    private static Route single(ConsulMerge.Entry en) {
        Checked c = en.checked();
        return toRoute(c, c.name(), List.of(new RouteTarget(c.service(), en.definition().instances(), 1)));
    }

    static Route toRoute(Checked c, String name, List<RouteTarget> targets) {
        return new Route(name, c.host(), c.path(), c.methods(), c.headers(), targets, c.rewriter(), c.timeouts(),
                c.preserveHost(), c.accessLog(), c.maxInFlight(), c.source());
    }
}
