package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceFilterTest {

    @Test
    void routeTagsSwitchboardTagsWantedOrAll() {
        ServiceFilter f = new ServiceFilter(false, Set.of("billing"));
        assertThat(f.relevant("web", List.of("x", "urlprefix-/web"))).isTrue();
        assertThat(f.relevant("a", List.of("switchboard"))).isTrue();
        assertThat(f.relevant("b", List.of("switchboard.weight=3"))).isTrue();
        assertThat(f.relevant("c", List.of("switchboard-canary"))).isTrue();
        assertThat(f.relevant("billing", List.of())).isTrue();
        assertThat(f.relevant("consul", List.of())).isFalse();
        assertThat(f.relevant("d", List.of("switchboards", "url-prefix-/", "xurlprefix-/"))).isFalse();
        assertThat(f.relevant("e", null)).isFalse();
        assertThat(new ServiceFilter(true, Set.of()).relevant("consul", List.of())).isTrue();
    }
}
