package dev.switchboard.router.table;

import dev.switchboard.discovery.InstanceId;
import dev.switchboard.router.table.RouteValidator.Checked;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the Consul definitions that share one match key into one {@link Route}.
 * <ol>
 *   <li>Definitions must agree on how to forward (rewrite, timeouts, preserve-host, access log,
 *       in-flight limit), since a route has one of each. When they don't (a rolling deploy that
 *       changes {@code strip=}), the variant declared by the most instances wins (ties: the smaller
 *       canonical form) and the others are dropped with a warning, so no instance receives paths
 *       it does not expect.</li>
 *   <li>Per service, the instance sets are united into one target (a definition for all instances
 *       makes the target all instances). If its instances disagree on the share, the share declared
 *       by the most instances wins (ties: the smaller share), with a warning.</li>
 *   <li>Weights, in basis points of the route's traffic: a service with a fixed share {@code w}
 *       gets {@code round(w * 10000)} (at least 1); services without one split what is left of
 *       10000 evenly (nothing if the fixed shares reach 100%, as in Fabio); without any fixed
 *       share every service gets weight 1.</li>
 * </ol>
 */
final class ConsulMerge {

    /** Largest accepted share (100 times the whole route); Fabio normalizes shares summing over 1. */
    static final double MAX_SHARE = 100;

    static final int WHOLE = 10_000;

    private static final int SHOWN_INSTANCES = 5;

    /** One validated definition with the label its messages use. */
    record Entry(RouteDefinition definition, Checked checked, String label) {
    }

    private ConsulMerge() {
    }

    static Route merge(List<Entry> entries, List<String> warnings) {
        List<Entry> chosen = majorityVariant(entries, warnings);
        TreeMap<String, List<Entry>> byService = new TreeMap<>();
        String name = null;
        for (Entry e : chosen) {
            byService.computeIfAbsent(e.checked().service(), k -> new ArrayList<>()).add(e);
            name = name == null || e.checked().name().compareTo(name) < 0 ? e.checked().name() : name;
        }
        List<String> services = new ArrayList<>(byService.keySet());
        List<Set<InstanceId>> instances = new ArrayList<>();
        double[] shares = new double[services.size()];
        for (int i = 0; i < services.size(); i++) {
            List<Entry> es = byService.get(services.get(i));
            instances.add(union(es));
            shares[i] = majorityShare(services.get(i), es, warnings);
        }
        int[] weights = weights(shares);
        List<RouteTarget> targets = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            targets.add(new RouteTarget(services.get(i), instances.get(i), weights[i]));
        }
        return RouteTableBuilder.toRoute(chosen.get(0).checked(), name, targets);
    }

    private static List<Entry> majorityVariant(List<Entry> entries, List<String> warnings) {
        TreeMap<String, List<Entry>> variants = new TreeMap<>();
        for (Entry e : entries) {
            variants.computeIfAbsent(e.checked().forwardingKey(), k -> new ArrayList<>()).add(e);
        }
        if (variants.size() == 1) {
            return entries;
        }
        String best = null;
        long bestCount = -1;
        for (Map.Entry<String, List<Entry>> v : variants.entrySet()) {
            long count = instanceCount(v.getValue());
            if (count > bestCount) { // TreeMap order: on a tie the smaller canonical form stays
                best = v.getKey();
                bestCount = count;
            }
        }
        for (Map.Entry<String, List<Entry>> v : variants.entrySet()) {
            if (!v.getKey().equals(best)) {
                for (Entry e : v.getValue()) {
                    warnings.add(e.label() + " of service " + e.checked().service() + " on "
                            + describeInstances(e.definition().instances()) + " ignored: its " + v.getKey()
                            + " conflicts with " + best + " declared by more instances on " + e.checked().matchKey());
                }
            }
        }
        return variants.get(best);
    }

    /** Distinct instances declaring a variant; a definition for all instances counts as the most. */
    private static long instanceCount(List<Entry> entries) {
        Set<InstanceId> ids = new TreeSet<>();
        for (Entry e : entries) {
            if (e.definition().instances().isEmpty()) {
                return Long.MAX_VALUE;
            }
            ids.addAll(e.definition().instances());
        }
        return ids.size();
    }

    private static Set<InstanceId> union(List<Entry> entries) {
        if (entries.size() == 1) {
            return entries.get(0).definition().instances();
        }
        Set<InstanceId> ids = new TreeSet<>();
        for (Entry e : entries) {
            if (e.definition().instances().isEmpty()) {
                return Set.of();
            }
            ids.addAll(e.definition().instances());
        }
        return ids;
    }

    private static double majorityShare(String service, List<Entry> entries, List<String> warnings) {
        TreeMap<Double, Long> votes = new TreeMap<>();
        for (Entry e : entries) {
            double share = Math.max(0, e.definition().share());
            long n = e.definition().instances().isEmpty() ? Long.MAX_VALUE / 4 : e.definition().instances().size();
            votes.merge(share, n, Long::sum);
        }
        double best = 0;
        long bestVotes = -1;
        for (Map.Entry<Double, Long> v : votes.entrySet()) {
            if (v.getValue() > bestVotes) {
                best = v.getKey();
                bestVotes = v.getValue();
            }
        }
        if (votes.size() > 1) {
            warnings.add("consul service " + service + " on " + entries.get(0).checked().matchKey()
                    + ": instances disagree on weight " + votes.keySet() + "; using " + best);
        }
        return best;
    }

    static int[] weights(double[] shares) {
        int[] w = new int[shares.length];
        long fixed = 0;
        int unweighted = 0;
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                w[i] = (int) Math.max(1, Math.round(shares[i] * WHOLE));
                fixed += w[i];
            } else {
                unweighted++;
            }
        }
        int each = unweighted == shares.length ? 1 : (int) (Math.max(0, WHOLE - fixed) / Math.max(1, unweighted));
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] <= 0) {
                w[i] = each;
            }
        }
        return w;
    }

    static String describeInstances(Set<InstanceId> ids) {
        if (ids.isEmpty()) {
            return "all instances";
        }
        StringBuilder sb = new StringBuilder().append(ids.size()).append(" instance(s) [");
        Iterator<InstanceId> it = ids.iterator();
        for (int i = 0; i < SHOWN_INSTANCES && it.hasNext(); i++) {
            sb.append(i > 0 ? ", " : "").append(it.next());
        }
        return sb.append(it.hasNext() ? ", ...]" : "]").toString();
    }
}
