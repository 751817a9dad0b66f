package dev.switchboard.router.balancer;

import java.util.List;

/**
 * Picks one endpoint for one request, over an immutable endpoint list fixed at construction.
 * Thread-safe: called concurrently from all IO threads. Never allocates per call where avoidable.
 */
public interface Selector {

    /** The endpoints this selector was built over, in the order given to the strategy. */
    List<? extends Endpoint> endpoints();

    /** Returns a usable endpoint, or null if none is usable for this request. */
    Endpoint select(SelectionContext ctx);
}
