package dev.switchboard.discovery.consul.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** How the extension finds an agent, and that it skips (or fails on CI) when there is none. */
class ConsulAgentExtensionTest {

    @Test
    void withoutAnyConsulItSkipsWithInstructionsOrFailsOnCi(@TempDir Path empty) {
        org.junit.jupiter.api.Assumptions.assumeFalse(ContainerConsulAgent.dockerAvailable(), "Docker would be used");
        Map<String, String> env = Map.of("PATH", empty.toString(), "XDG_CACHE_HOME", empty.toString());
        assertThatThrownBy(() -> new ConsulAgentExtension(env).provide(false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("integration-tests/consul/install-consul.sh");
        Map<String, String> ci = Map.of("PATH", empty.toString(), "XDG_CACHE_HOME", empty.toString(), "CI", "true");
        assertThatThrownBy(() -> new ConsulAgentExtension(ci).provide(false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI=true");
    }

    @Test
    void runningAgentFromEnvironmentComesFirstExceptForAcl(@TempDir Path empty) {
        ConsulAgent a = new ConsulAgentExtension(Map.of("CONSUL_HTTP_ADDR", "http://10.0.0.9:8500/",
                "CONSUL_HTTP_TOKEN", "t", "PATH", empty.toString())).provide(false);
        assertThat(a.httpAddress()).isEqualTo("10.0.0.9:8500");
        assertThat(a.managementToken()).isEqualTo("t");
        assertThat(a.restartable()).isFalse();
    }

    @Test
    void binaryFromConsulBinThenPathThenTheNewestCacheEntry(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        Path cache = dir.resolve("cache/switchboard/consul");
        Path v9 = executable(cache.resolve("1.9.0/consul"));
        Path v22 = executable(cache.resolve("1.22.5/consul"));
        Map<String, String> cacheOnly = Map.of("PATH", bin.toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString());
        assertThat(new ConsulAgentExtension(cacheOnly).findBinary()).contains(v22);
        Path onPath = executable(bin.resolve("consul"));
        Map<String, String> withPath = Map.of("PATH", bin.toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString());
        assertThat(new ConsulAgentExtension(withPath).findBinary()).contains(onPath);
        Map<String, String> explicit = Map.of("CONSUL_BIN", v9.toString(), "PATH", bin.toString());
        assertThat(new ConsulAgentExtension(explicit).findBinary()).contains(v9);
        assertThatThrownBy(() -> new ConsulAgentExtension(Map.of("CONSUL_BIN", dir.resolve("nope").toString()))
                .findBinary()).hasMessageContaining("expected: an executable consul binary");
    }

    private static Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        p.toFile().setExecutable(true);
        return p;
    }
}
