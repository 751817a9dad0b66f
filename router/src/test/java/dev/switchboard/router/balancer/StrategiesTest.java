package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.router.config.ServiceConfig;
import dev.switchboard.router.config.ServiceConfig.HashKeyConfig;
import dev.switchboard.router.config.ServiceConfig.StickyConfig;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    private static final String ALL = "round_robin, weighted_round_robin, random, weighted_random, least_request, "
            + "peak_ewma, ring_hash, maglev, sticky";

    @Test
    void everyNameCreatesTheStrategyOfThatName() {
        assertThat(String.join(", ", Strategies.names())).isEqualTo(ALL);
        var es = FakeEndpoint.count(3);
        for (String name : Strategies.names()) {
            LoadBalancingStrategy s = Strategies.create(name);
            assertThat(s.name()).isEqualTo(name);
            Selector selector = s.newSelector(es, null);
            assertThat(selector.select(new FakeContext(1).key(5))).isIn(es.toArray());
        }
    }

    @Test
    void anUnknownNameIsRejectedWithTheValidNames() {
        assertThatThrownBy(() -> Strategies.create("least_conn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy: least_conn (expected: one of " + ALL + ")");
        assertThat(Strategies.isKnown(null)).isFalse();
    }

    @Test
    void stickyUsesTheConfiguredFallback() {
        ServiceConfig svc = service("sticky", null, new StickyConfig(null, "least_request", null));
        LoadBalancingStrategy s = Strategies.forService(svc);
        assertThat(s).isInstanceOf(Sticky.class);
        assertThat(((Sticky) s).fallback()).isSameAs(P2CLeastRequests.INSTANCE);
        assertThat(((Sticky) Strategies.create("sticky")).fallback()).isSameAs(RoundRobin.INSTANCE);
    }

    @Test
    void validationNamesFieldValueAndExpectation() {
        assertThat(Strategies.validate("services.api", ServiceConfig.DEFAULT)).isEmpty();
        assertThat(Strategies.validate("services.api", service("fastest", null, null)))
                .containsExactly("services.api.strategy: fastest (expected: one of " + ALL + ")");
        assertThat(Strategies.validate("services.api", service("sticky", null, new StickyConfig("a b", "sticky", null))))
                .containsExactly(
                        "services.api.sticky.fallback: sticky (expected: one of round_robin, weighted_round_robin, random, "
                                + "weighted_random, least_request, peak_ewma, ring_hash, maglev)",
                        "services.api.sticky.cookie: a b (expected: a cookie name: letters, digits, '-', '_', '.')");
        assertThat(Strategies.validate("services.api", service("maglev", new HashKeyConfig("query", null), null)))
                .containsExactly("services.api.hashKey.source: query (expected: one of client_ip, header, cookie, path)");
        assertThat(Strategies.validate("services.api", service("ring_hash", new HashKeyConfig("header", null), null)))
                .containsExactly("services.api.hashKey.name: null (expected: the header name when source is header)");
        assertThat(Strategies.validate("services.api", service("ring_hash", new HashKeyConfig("header", "X-User"), null)))
                .isEmpty();
    }

    @Test
    void anInvalidStickyFallbackIsRejectedWhenCreating() {
        assertThatThrownBy(() -> Strategies.create("sticky", "nope"))
                .hasMessageStartingWith("sticky.fallback: nope (expected: one of round_robin,");
    }

    private static ServiceConfig service(String strategy, HashKeyConfig hashKey, StickyConfig sticky) {
        return new ServiceConfig(strategy, hashKey, sticky, null, null, null, null, null, null, null, null);
    }
}
