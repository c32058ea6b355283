package dev.berth.engine.volumes;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.catalog.Catalog;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volumes and volume_refs tables. A reference is a container that mounts the volume; it is what
 * makes a volume "in use" (not removable) and not dangling, as in Docker, whether or not the
 * container runs. References are written in the same transaction that creates a volume on demand,
 * so a concurrent remove or prune never sees a just-created volume without its user.
 */
public final class VolumeStore {
    private final Catalog catalog;

    public VolumeStore(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Inserts the volume unless one of that name exists, and adds {@code containerId} as a reference
     * when not null.
     *
     * @return the stored volume and whether this call created it
     */
    public Acquired insertIfAbsent(VolumeRecord v, String containerId) {
        return catalog.inTransaction(c -> {
            Optional<VolumeRecord> existing = get(c, v.name());
            if (existing.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO volumes(name, driver, labels, options, created) VALUES(?,?,?,?,?)")) {
                    s.setString(1, v.name());
                    s.setString(2, v.driver());
                    s.setString(3, json(v.labels()));
                    s.setString(4, json(v.options()));
                    s.setString(5, v.created().toString());
                    s.executeUpdate();
                }
            }
            if (containerId != null) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT OR IGNORE INTO volume_refs(volume, container_id) VALUES(?,?)")) {
                    s.setString(1, v.name());
                    s.setString(2, containerId);
                    s.executeUpdate();
                }
            }
            return new Acquired(existing.orElse(v), existing.isEmpty());
        });
    }

    public record Acquired(VolumeRecord volume, boolean created) {
    }

    public Optional<VolumeRecord> get(String name) {
        return catalog.read(c -> get(c, name));
    }

    private static Optional<VolumeRecord> get(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, driver, labels, options, created FROM volumes WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public List<VolumeRecord> all() {
        return catalog.read(c -> {
            List<VolumeRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name, driver, labels, options, created FROM volumes ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    /** Containers referencing each volume; volumes without any are absent. */
    public Map<String, List<String>> refs() {
        return catalog.read(c -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT volume, container_id FROM volume_refs ORDER BY volume, container_id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    public List<String> refs(String volume) {
        return refs().getOrDefault(volume, List.of());
    }

    /**
     * Deletes the volume's row if nothing references it.
     *
     * @return the containers that still reference it (then nothing was deleted)
     */
    public List<String> deleteUnlessReferenced(String name) {
        return catalog.inTransaction(c -> {
            List<String> users = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT container_id FROM volume_refs WHERE volume = ? ORDER BY container_id")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
            if (users.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM volumes WHERE name = ?")) {
                    s.setString(1, name);
                    s.executeUpdate();
                }
            }
            return users;
        });
    }

    /** Drops every reference the container holds. */
    public void release(String containerId) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM volume_refs WHERE container_id = ?")) {
                s.setString(1, containerId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * References of containers that are not in the catalog: a create that failed half-way or a
     * remove cut short by a crash. Only safe while no create is in flight (start-up).
     */
    public int sweepStaleRefs() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM volume_refs WHERE container_id NOT IN (SELECT id FROM containers)")) {
                return s.executeUpdate();
            }
        });
    }

    private static VolumeRecord row(ResultSet rs) throws SQLException {
        return new VolumeRecord(rs.getString(1), rs.getString(2), map(rs.getString(3)), map(rs.getString(4)),
                Instant.parse(rs.getString(5)));
    }

    private static String json(Map<String, String> m) {
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> map(String json) {
        try {
            return json == null ? Map.of() : Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw BerthException.system("corrupt volume row: " + e.getMessage(), e);
        }
    }
}
