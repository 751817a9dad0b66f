package dev.switchboard.discovery.consul;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.switchboard.discovery.CatalogSnapshot;
import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.InstanceId;
import dev.switchboard.discovery.ServiceInstance;
import dev.switchboard.discovery.ServiceSnapshot;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The last published catalog on disk, so a restart while Consul is down still knows its backends.
 * Written atomically (temp file in the same directory, then rename); a torn or foreign file is
 * reported and ignored, never half-loaded.
 */
public final class SnapshotFile {

    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** A snapshot read back with the time it was saved. */
    public record Saved(CatalogSnapshot snapshot, Instant savedAt) {
    }

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    public void save(CatalogSnapshot snapshot, Instant now) throws IOException {
        FileDto dto = new FileDto();
        dto.format = FORMAT;
        dto.savedAt = now.toString();
        dto.services = new ArrayList<>();
        for (ServiceSnapshot s : snapshot.services().values()) {
            ServiceDto sd = new ServiceDto();
            sd.name = s.name();
            sd.instances = new ArrayList<>();
            for (ServiceInstance i : s.instances()) {
                InstanceDto d = new InstanceDto();
                d.node = i.id().node();
                d.id = i.id().serviceId();
                d.address = i.address();
                d.port = i.port();
                d.weight = i.weight();
                d.health = i.health().name();
                d.tags = i.tags();
                d.meta = i.meta();
                sd.instances.add(d);
            }
            dto.services.add(sd);
        }
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                GSON.toJson(dto, w);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @return the saved snapshot, or empty if there is no file
     * @throws IOException if the file exists but cannot be read or is not a snapshot of this format
     */
    public Optional<Saved> load() throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        FileDto dto;
        try {
            dto = GSON.fromJson(Files.readString(path, StandardCharsets.UTF_8), FileDto.class);
        } catch (JsonParseException e) {
            throw new IOException(path + ": not a snapshot file (" + ConsulHttp.describe(e) + ")", e);
        }
        if (dto == null || dto.format != FORMAT || dto.services == null) {
            throw new IOException(path + ": format " + (dto == null ? "none" : dto.format) + " (expected: " + FORMAT + ")");
        }
        List<ServiceSnapshot> services = new ArrayList<>();
        try {
            for (ServiceDto sd : dto.services) {
                List<ServiceInstance> instances = new ArrayList<>();
                for (InstanceDto d : sd.instances) {
                    instances.add(new ServiceInstance(new InstanceId(d.node, d.id), sd.name, d.address, d.port,
                            d.weight, InstanceHealth.valueOf(d.health), d.tags == null ? List.of() : d.tags,
                            new TreeMap<>(d.meta == null ? Map.of() : d.meta)));
                }
                services.add(new ServiceSnapshot(sd.name, instances));
            }
            return Optional.of(new Saved(CatalogSnapshot.of(services),
                    dto.savedAt == null ? Instant.EPOCH : Instant.parse(dto.savedAt)));
        } catch (RuntimeException e) {
            throw new IOException(path + ": invalid snapshot (" + ConsulHttp.describe(e) + ")", e);
        }
    }

    static final class FileDto {
        int format;
        String savedAt;
        List<ServiceDto> services;
    }

    static final class ServiceDto {
        String name;
        List<InstanceDto> instances;
    }

    static final class InstanceDto {
        String node;
        String id;
        String address;
        int port;
        int weight;
        String health;
        List<String> tags;
        Map<String, String> meta;
    }
}
