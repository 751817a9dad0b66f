package dev.switchboard.router.table;

import static dev.switchboard.router.table.Routes.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.config.RewriteConfig;
import dev.switchboard.router.config.RouteConfig;
import dev.switchboard.router.config.TimeoutsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code describe()} against a golden file: the canonical form is an interface (admin API, republish check). */
class RouteTableDescribeTest {

    private static final String GOLDEN = "route-table.golden.txt";

    static List<RouteDefinition> definitions() {
        TimeoutsConfig fast = new TimeoutsConfig(Duration.ofMillis(250), Duration.ofSeconds(5), null);
        List<RouteDefinition> defs = new ArrayList<>();
        defs.add(RouteDefinition.of(RouteConfig.of("/", "frontend")));
        defs.add(RouteDefinition.of(new RouteConfig("web", "*.example.com", "/api", List.of("POST", "get"),
                Map.of("X-Canary", "1"), "web", new RewriteConfig(true, null, null, null), fast, null, null, null, null)));
        defs.add(RouteDefinition.of(new RouteConfig("web-reads", "*.example.com", "/api", List.of("GET"), null, "web",
                null, null, null, null, null, null)));
        defs.add(RouteDefinition.of(new RouteConfig("admin", "Admin.Example.com", "/", null, null, "admin",
                new RewriteConfig(false, "/internal/admin", null, null), null, false, false, 100, null)));
        defs.add(RouteDefinition.of(new RouteConfig("legacy", null, "/legacy/", null, null, "legacy",
                new RewriteConfig(false, null, "^/legacy/v(\\d+)/(.*)$", "/$2"), new TimeoutsConfig(null, null,
                Duration.ofMinutes(5)), true, null, null, "api")));
        defs.add(RouteDefinition.of(new RouteConfig("deep", "*.eu.example.com", "/", null, null, "eu", null, null,
                null, null, null, null)));
        defs.add(new RouteDefinition(new RouteConfig(null, null, "/shop", null, null, "shop", null, null, null, null,
                null, "consul"), ids("node-b/shop-2", "node-a/shop-1"), 0));
        defs.add(new RouteDefinition(new RouteConfig(null, null, "/shop", null, null, "shop-next", null, null, null,
                null, null, "consul"), ids("node-c/shop-next-1"), 0.05));
        defs.add(new RouteDefinition(new RouteConfig(null, null, "/frontend", null, null, "shadowed", null, null,
                null, null, null, "consul"), ids("node-a/x"), 0));
        defs.add(RouteDefinition.of(new RouteConfig("frontend-override", null, "/frontend", null, null, "frontend",
                null, null, null, null, null, "api")));
        return defs;
    }

    private static String golden() throws IOException {
        try (InputStream in = RouteTableDescribeTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("resource " + GOLDEN).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void describeMatchesTheGoldenFile() throws Exception {
        assertThat(RouteTableBuilder.build(definitions()).describe()).isEqualTo(golden());
    }

    @Test
    void describeDoesNotDependOnInputOrder() throws Exception {
        String expected = golden();
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            List<RouteDefinition> shuffled = new ArrayList<>(definitions());
            Collections.shuffle(shuffled, random);
            // config labels (routes[i]) follow the input order, but the table itself must not
            assertThat(RouteTableBuilder.build(shuffled).describe()).isEqualTo(expected);
        }
    }
}
