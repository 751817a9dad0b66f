package dev.switchboard.discovery.consul;

import dev.switchboard.discovery.consul.testing.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.discovery.consul.testing.ConsulAgent;
import dev.switchboard.discovery.consul.testing.ConsulAgentExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ConsulAgentExtension.class)
class ConsulKvWatchTest {

    @Test
    void deliversTheValueItsChangesAndNullOnDelete(ConsulAgent agent) throws Exception {
        String key = "switchboard/test/" + TestServices.unique("config") + "/routes yaml";
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (ConsulKvWatch watch = new ConsulKvWatch(agent.settings().build(), key, seen::add)) {
            watch.start();
            assertThat(watch.firstValue().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(seen).containsExactly((String) null);

            agent.client().setKVValue(key, "route add web /web ü");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
            assertThat(seen.get(1)).isEqualTo("route add web /web ü");

            agent.client().setKVValue(key, "route add web /web ü"); // same value, new index: not delivered
            agent.client().setKVValue(key, "v3");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
            assertThat(seen.get(2)).isEqualTo("v3");

            agent.client().deleteKVValue(key);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
            assertThat(seen.get(3)).isNull();
            assertThat(watch.lastError()).isNull();
        }
    }

    @Test
    void anExistingValueIsTheFirstValue(ConsulAgent agent) throws Exception {
        String key = "switchboard/test/" + TestServices.unique("existing");
        agent.client().setKVValue(key, "hello");
        try (ConsulKvWatch watch = new ConsulKvWatch(agent.settings().build(), "/" + key, v -> { })) {
            watch.start();
            assertThat(watch.firstValue().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(Optional.of("hello"));
        } finally {
            agent.client().deleteKVValue(key);
        }
    }
}
