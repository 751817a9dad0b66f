package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import dev.switchboard.router.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A bad tag is logged once when it appears, not once per catalog update as instances come to carry it. */
class ConsulRouteSourceTest {

    private static CatalogSnapshot catalog(int instancesWithBadTag, int instancesWithGoodTag) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < instancesWithBadTag + instancesWithGoodTag; i++) {
            List<String> tags = i < instancesWithBadTag ? List.of("urlprefix-/web", "urlprefix-/../etc") : List.of("urlprefix-/web");
            instances.add(new ServiceInstance(new InstanceId("n1", "web-" + i), "web", "10.0.0.1", 1000 + i, 1,
                    InstanceHealth.PASSING, tags, new TreeMap<>()));
        }
        return CatalogSnapshot.of(List.of(new ServiceSnapshot("web", instances)));
    }

    @Test
    void aBadTagSpreadingOverMoreInstancesIsLoggedOnceAndAgainOnlyAfterItWasGone() {
        ConsulRouteSource source = new ConsulRouteSource();
        try (LogCapture log = LogCapture.of(ConsulRouteSource.class)) {
            for (int n = 1; n <= 50; n++) {
                source.update(catalog(n, 1));
            }
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).startsWith("consul tag ignored: consul service web \"urlprefix-/../etc\"");
            assertThat(source.definitions()).hasSize(1);

            source.update(catalog(0, 3));
            source.update(catalog(2, 3));
            assertThat(log.lines()).hasSize(2);
        }
    }

    @Test
    void anUnknownStrategyInMetaIsLoggedOnceNotOnEveryRebuild() {
        ServiceInstance i = new ServiceInstance(new InstanceId("n1", "x-1"), "x", "10.0.0.1", 1000, 1,
                InstanceHealth.PASSING, List.of("urlprefix-/x"), new TreeMap<>(java.util.Map.of("switchboard-strategy", "nonsense")));
        ConsulRouteSource source = new ConsulRouteSource();
        try (LogCapture log = LogCapture.of(ConsulRouteSource.class)) {
            source.update(CatalogSnapshot.of(List.of(new ServiceSnapshot("x", List.of(i)))));
            for (int rebuild = 0; rebuild < 20; rebuild++) {
                source.serviceOverrides("x", dev.switchboard.router.config.ServiceConfig.DEFAULT);
            }
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).contains("switchboard-strategy=nonsense of service x ignored");
        }
    }
}
