package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StickyTest {

    private final Sticky sticky = new Sticky(RoundRobin.INSTANCE);
    private final FakeContext ctx = new FakeContext(67);

    @Test
    void aCookieNamingAUsableEndpointPicksIt() {
        var es = FakeEndpoint.count(5);
        Selector s = sticky.newSelector(es, null);
        ctx.stickyKey = "node/e003";
        for (int i = 0; i < 10; i++) {
            assertThat(s.select(ctx)).isSameAs(es.get(3));
        }
    }

    @Test
    void withoutACookieTheFallbackPicks() {
        var es = FakeEndpoint.count(3);
        Selector s = sticky.newSelector(es, null);
        assertThat(List.of(s.select(ctx), s.select(ctx), s.select(ctx))).containsExactlyElementsOf(es);
    }

    @Test
    void anUnknownIdFallsBack() {
        var es = FakeEndpoint.count(3);
        Selector s = sticky.newSelector(es, null);
        ctx.stickyKey = "node/gone";
        assertThat(s.select(ctx)).isSameAs(es.get(0));
        assertThat(s.select(ctx)).isSameAs(es.get(1));
    }

    @Test
    void anUnusableOrAlreadyTriedEndpointFallsBackToAnother() {
        var es = FakeEndpoint.count(2);
        Selector s = sticky.newSelector(es, null);
        ctx.stickyKey = "node/e000";
        es.get(0).usable = false;
        assertThat(s.select(ctx)).isSameAs(es.get(1));
        es.get(0).usable = true;
        ctx.excluded = es.get(0); // a retry after the sticky backend failed
        assertThat(s.select(ctx)).isSameAs(es.get(1));
        es.get(1).usable = false;
        assertThat(s.select(ctx)).isNull();
    }

    @Test
    void theFallbacksStateCarriesOverThroughTheStickySelector() {
        var es = FakeEndpoint.count(3);
        Selector before = sticky.newSelector(es, null);
        assertThat(before.select(ctx)).isSameAs(es.get(0));
        Selector after = sticky.newSelector(es, before);
        assertThat(after.select(ctx)).as("round robin continues").isSameAs(es.get(1));
        assertThat(after.endpoints().toArray()).containsExactly(es.toArray());
    }

    @Test
    void stickyCannotFallBackToSticky() {
        assertThatThrownBy(() -> new Sticky(sticky))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sticky.fallback: sticky (expected: a strategy other than sticky)");
    }
}
