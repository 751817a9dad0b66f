package dev.switchboard.discovery.consul;

import java.util.List;
import java.util.Set;

/**
 * Decides which services get a health watch: those with a route tag ({@code urlprefix-…}), those
 * tagged {@code switchboard}, {@code switchboard.…} or {@code switchboard-…}, those named in the
 * wanted set (config routes), or all with {@code watchAll}.
 */
public final class ServiceFilter {

    private final boolean watchAll;
    private final Set<String> wanted;

    public ServiceFilter(boolean watchAll, Set<String> wanted) {
        this.watchAll = watchAll;
        this.wanted = Set.copyOf(wanted);
    }

    public boolean relevant(String name, List<String> tags) {
        return watchAll || wanted.contains(name) || hasRoutingTag(tags);
    }

    /** Wanted services are watched even before they appear in the catalog (they publish empty). */
    public Set<String> wanted() {
        return wanted;
    }

    public static boolean hasRoutingTag(List<String> tags) {
        if (tags == null) {
            return false;
        }
        for (String t : tags) {
            if (t != null && (t.startsWith("urlprefix-") || t.equals("switchboard")
                    || t.startsWith("switchboard.") || t.startsWith("switchboard-"))) {
                return true;
            }
        }
        return false;
    }
}
