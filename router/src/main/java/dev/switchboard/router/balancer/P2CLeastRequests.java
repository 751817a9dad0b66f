package dev.switchboard.router.balancer;

import java.util.List;

/**
 * {@code least_request}: power of two choices on requests in flight, weight-aware as in Envoy: the
 * score is {@code (inFlight + 1) / weight}, so a backend of weight 2 is considered as loaded as one of
 * weight 1 with half its requests, and among idle backends the heavier one wins. With equal weights
 * this is plain least-in-flight P2C. A backend in slow start is drawn as a candidate in proportion to
 * its slow-start factor ({@link PowerOfTwoChoices}), so its share grows over the window even while
 * every backend is idle.
 */
public final class P2CLeastRequests implements LoadBalancingStrategy {

    public static final String NAME = "least_request";
    public static final P2CLeastRequests INSTANCE = new P2CLeastRequests();

    private static final PowerOfTwoChoices.LoadScore SCORE =
            (e, now) -> (e.inFlight() + 1) / PowerOfTwoChoices.weight(e);

    private P2CLeastRequests() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selector newSelector(List<? extends Endpoint> endpoints, Selector previous) {
        return new PowerOfTwoChoices(endpoints, SCORE);
    }
}
