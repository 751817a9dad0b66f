package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    static CatalogSnapshot sample() {
        ServiceInstance a = new ServiceInstance(new InstanceId("n1", "web-1"), "web", "10.0.0.1", 8080, 3,
                InstanceHealth.WARNING, List.of("urlprefix-/web", "b"), new TreeMap<>(Map.of("v", "1")));
        ServiceInstance b = ServiceInstance.ofStatic("api", "::1", 9000, 1);
        return CatalogSnapshot.of(List.of(new ServiceSnapshot("web", List.of(a)), new ServiceSnapshot("api", List.of(b)),
                new ServiceSnapshot("empty", List.of())));
    }

    @Test
    void roundTripsExactly(@TempDir Path dir) throws Exception {
        SnapshotFile f = new SnapshotFile(dir.resolve("sub/catalog.json"));
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        f.save(sample(), at);
        SnapshotFile.Saved saved = f.load().orElseThrow();
        assertThat(saved.snapshot()).isEqualTo(sample());
        assertThat(saved.savedAt()).isEqualTo(at);
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("catalog.json");
        }
    }

    @Test
    void missingFileIsEmptyAndGarbageIsAnError(@TempDir Path dir) throws Exception {
        SnapshotFile f = new SnapshotFile(dir.resolve("catalog.json"));
        assertThat(f.load()).isEmpty();
        Files.writeString(f.path(), "{\"format\":1,\"services\":[{\"name\":\"x\",\"instances\":[{\"port\":0}]}]}");
        assertThatThrownBy(f::load).hasMessageContaining("invalid snapshot");
        Files.writeString(f.path(), "{\"format\":7,\"services\":[]}");
        assertThatThrownBy(f::load).hasMessageContaining("format 7 (expected: 1)");
        Files.writeString(f.path(), "[[[");
        assertThatThrownBy(f::load).hasMessageContaining("not a snapshot file");
    }
}
