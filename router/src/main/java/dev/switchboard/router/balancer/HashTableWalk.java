package dev.switchboard.router.balancer;

/**
 * What {@link RingHash} and {@link Maglev} do when the endpoint a key maps to is unusable: walk the
 * table forward from that position to the next usable owner. The walk is deterministic, so every
 * request with that key (on any router) lands on the same second choice, and the table's owners are
 * interleaved, so the keys of an unusable endpoint spread over the others in proportion to their
 * weights instead of all falling on one neighbour.
 *
 * <p>Bounded, without allocating: owners already found unusable are remembered in a 64-bit mask
 * (when their index is below 64) and not asked again; after {@link #MAX_CHECKS} distinct unusable
 * owners of a large service a linear scan over the endpoints from the last owner decides.
 */
final class HashTableWalk {

    /** A table of endpoint indexes, read cyclically. */
    interface Owners {
        int size();

        int ownerAt(int position);
    }

    static final int MAX_CHECKS = 16;

    private HashTableWalk() {
    }

    /**
     * @param start position whose owner was found unusable
     * @return the next usable owner along the table, or null if no endpoint is usable
     */
    static Endpoint next(Owners table, int start, Endpoint[] es, SelectionContext ctx) {
        int n = es.length;
        int size = table.size();
        int maxChecks = n <= 64 ? n : MAX_CHECKS;
        int last = table.ownerAt(start);
        long seen = last < 64 ? 1L << last : 0;
        int checks = 1;
        int pos = start;
        for (int step = 1; step < size && checks < maxChecks; step++) {
            if (++pos == size) {
                pos = 0;
            }
            int o = table.ownerAt(pos);
            if (o == last || (o < 64 && (seen & (1L << o)) != 0)) {
                continue;
            }
            if (ctx.usable(es[o])) {
                return es[o];
            }
            checks++;
            last = o;
            if (o < 64) {
                seen |= 1L << o;
            }
        }
        if (n <= 64 && checks == n) {
            return null; // every endpoint was asked
        }
        return Picks.firstUsable(es, last + 1, ctx);
    }
}
