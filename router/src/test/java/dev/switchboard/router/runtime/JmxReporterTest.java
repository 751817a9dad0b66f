package dev.switchboard.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** {@code admin.jmx: true} publishes the metrics as MBeans; closing the router removes them. */
class JmxReporterTest {

    @Test
    void metricsAppearAsMBeansAndGoAway() throws Exception {
        var config = new ConfigLoader().parse("""
                listen: {address: 127.0.0.1, port: 0}
                admin: {enabled: false, jmx: true}
                """);
        ObjectName pattern = new ObjectName("switchboard:*");
        var server = ManagementFactory.getPlatformMBeanServer();
        try (Launcher launcher = Launcher.start(config, null, new ConfigLoader(), Launcher.Options.TEST)) {
            assertThat(server.queryNames(pattern, null))
                    .anySatisfy(n -> assertThat(n.toString()).contains("switchboard.proxy.in_flight"));
        }
        assertThat(server.queryNames(pattern, null)).isEmpty();
    }
}
