package dev.switchboard.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.router.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableHolderTest {

    private final RouteTableHolder holder = new RouteTableHolder();
    private final List<RouteTable> published = new ArrayList<>();

    RouteTableHolderTest() {
        holder.addListener(published::add);
    }

    @Test
    void startsWithTheEmptyTableNeverNull() {
        assertThat(holder.current()).isSameAs(RouteTable.EMPTY);
        assertThat(holder.current().match("h", "GET", "/", null)).isNull();
        assertThat(published).isEmpty();
    }

    @Test
    void aBuiltTableReplacesTheCurrentOneWholeAndListenersHearOfIt() throws Exception {
        assertThat(holder.rebuild(List.of(RouteDefinition.of(RouteConfig.of("/api", "api"))))).isTrue();
        RouteTable first = holder.current();
        assertThat(first.match("h", "GET", "/api", null).name()).isEqualTo("/api");
        assertThat(published).containsExactly(first);

        assertThat(holder.rebuild(List.of(RouteDefinition.of(RouteConfig.of("/web", "web"))))).isTrue();
        assertThat(holder.current()).isNotSameAs(first);
        assertThat(holder.current().match("h", "GET", "/api", null)).isNull();
        assertThat(published).hasSize(2);
    }

    @Test
    void aFailedBuildKeepsTheLastGoodTable() throws Exception {
        holder.rebuild(List.of(RouteDefinition.of(RouteConfig.of("/api", "api"))));
        RouteTable good = holder.current();
        assertThatThrownBy(() -> holder.rebuild(List.of(
                RouteDefinition.of(RouteConfig.of("/web", "web")),
                RouteDefinition.of(RouteConfig.of("broken", "x")))))
                .isInstanceOf(RouteTableException.class)
                .hasMessageContaining("routes[1].path: \"broken\" (expected: starts with /)");
        assertThat(holder.current()).isSameAs(good);
        assertThat(published).containsExactly(good);
    }

    @Test
    void anUnchangedTableIsNotRepublished() throws Exception {
        List<RouteDefinition> defs = List.of(RouteDefinition.of(RouteConfig.of("/api", "api")),
                RouteDefinition.of(RouteConfig.of("/web", "web")));
        assertThat(holder.rebuild(defs)).isTrue();
        RouteTable first = holder.current();
        assertThat(holder.rebuild(List.of(defs.get(1), defs.get(0)))).isFalse();
        assertThat(holder.publish(RouteTableBuilder.build(defs))).isFalse();
        assertThat(holder.current()).isSameAs(first);
        assertThat(published).hasSize(1);
        assertThat(holder.publish(RouteTable.EMPTY)).isTrue();
        assertThat(holder.current()).isSameAs(RouteTable.EMPTY);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersOrThePublication() throws Exception {
        RouteTableHolder h = new RouteTableHolder();
        List<RouteTable> seen = new ArrayList<>();
        h.addListener(t -> {
            throw new IllegalStateException("listener bug");
        });
        h.addListener(seen::add);
        assertThat(h.rebuild(List.of(RouteDefinition.of(RouteConfig.of("/api", "api"))))).isTrue();
        assertThat(seen).containsExactly(h.current());
    }

    @Test
    void holdersAreIndependent() throws Exception {
        RouteTableHolder other = new RouteTableHolder();
        holder.rebuild(List.of(RouteDefinition.of(RouteConfig.of("/api", "api"))));
        assertThat(other.current()).isSameAs(RouteTable.EMPTY);
    }
}
