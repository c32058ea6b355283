package dev.berth.engine.images;

import dev.berth.engine.catalog.Catalog;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Images, their layers and their references (tags and digests), in the catalog. References are stored
 * fully qualified ({@code docker.io/library/busybox:latest}); callers familiarise them for display.
 */
public final class ImageStore {
    private final Catalog catalog;
    private final ImageParents parents;

    public ImageStore(Catalog catalog) {
        this.catalog = catalog;
        this.parents = new ImageParents(catalog);
    }

    /** Adds an image with its layers and points {@code references} at it, in one transaction. */
    public void add(ImageRecord image, List<LayerRecord> layers) {
        catalog.inTransaction(c -> {
            try (PreparedStatement img = c.prepareStatement(
                    "INSERT OR IGNORE INTO images(id, manifest_digest, manifest_media_type, created, size, loaded_at) VALUES(?,?,?,?,?,?)");
                 PreparedStatement layer = c.prepareStatement(
                         "INSERT INTO layers(diff_id, size, blob_digest, blob_media_type, blob_size) VALUES(?,?,?,?,?) "
                                 + "ON CONFLICT(diff_id) DO UPDATE SET blob_digest=coalesce(layers.blob_digest, excluded.blob_digest), "
                                 + "blob_media_type=coalesce(layers.blob_media_type, excluded.blob_media_type), "
                                 + "blob_size=coalesce(layers.blob_size, excluded.blob_size)");
                 PreparedStatement link = c.prepareStatement(
                         "INSERT OR IGNORE INTO image_layers(image_id, position, diff_id) VALUES(?,?,?)")) {
                img.setString(1, image.id().toString());
                img.setString(2, image.manifestDigest().toString());
                img.setString(3, image.manifestMediaType());
                img.setString(4, image.created());
                img.setLong(5, image.size());
                img.setLong(6, image.loadedAtMillis());
                img.executeUpdate();
                for (LayerRecord l : layers) {
                    layer.setString(1, l.diffId().toString());
                    layer.setLong(2, l.size());
                    layer.setString(3, l.blobDigest() == null ? null : l.blobDigest().toString());
                    layer.setString(4, l.blobMediaType());
                    if (l.blobDigest() == null) {
                        layer.setNull(5, java.sql.Types.INTEGER);
                    } else {
                        layer.setLong(5, l.blobSize());
                    }
                    layer.executeUpdate();
                }
                for (int i = 0; i < image.diffIds().size(); i++) {
                    link.setString(1, image.id().toString());
                    link.setInt(2, i);
                    link.setString(3, image.diffIds().get(i).toString());
                    link.executeUpdate();
                }
            }
            for (String ref : image.references()) {
                putRef(c, ref, image.id());
            }
            return null;
        });
    }

    /** Points a reference at an image, moving it from whichever image had it. */
    public void addReference(String reference, Digest imageId) {
        catalog.inTransaction(c -> {
            putRef(c, reference, imageId);
            return null;
        });
    }

    private static void putRef(Connection c, String ref, Digest imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO refs(reference, image_id, is_digest, created_at) VALUES(?,?,?,?) "
                        + "ON CONFLICT(reference) DO UPDATE SET image_id=excluded.image_id, created_at=excluded.created_at")) {
            ps.setString(1, ref);
            ps.setString(2, imageId.toString());
            ps.setInt(3, ref.contains("@") ? 1 : 0);
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    public boolean removeReference(String reference) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM refs WHERE reference=?")) {
                ps.setString(1, reference);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<Digest> resolveReference(String reference) {
        return catalog.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id FROM refs WHERE reference=?")) {
                ps.setString(1, reference);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Docker accepts any unique prefix of the hex ID; an ambiguous prefix is the caller's error. */
    public Optional<Digest> resolveIdPrefix(String hexPrefix) {
        if (hexPrefix.isEmpty() || !hexPrefix.matches("[0-9a-f]+")) {
            return Optional.empty();
        }
        return catalog.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE id LIKE ? LIMIT 2")) {
                ps.setString(1, "sha256:" + hexPrefix + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Digest first = Digest.parse(rs.getString(1));
                    if (rs.next()) {
                        throw BerthException.invalid("ambiguous image ID prefix " + hexPrefix + ": it matches more than one image");
                    }
                    return Optional.of(first);
                }
            }
        });
    }

    public Optional<ImageRecord> get(Digest id) {
        List<ImageRecord> found = query("WHERE i.id=?", id.toString());
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    public List<ImageRecord> list() {
        return query("", null);
    }

    private List<ImageRecord> query(String where, String arg) {
        return catalog.read(c -> {
            Map<String, ImageRecord> byId = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, manifest_digest, manifest_media_type, created, size, loaded_at FROM images i " + where
                            + " ORDER BY loaded_at DESC")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.put(rs.getString(1), new ImageRecord(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6), new ArrayList<>(), new ArrayList<>()));
                    }
                }
            }
            if (byId.isEmpty()) {
                return List.of();
            }
            String filter = arg != null ? " WHERE image_id=?" : "";
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT image_id, diff_id FROM image_layers" + filter + " ORDER BY image_id, position")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ImageRecord r = byId.get(rs.getString(1));
                        if (r != null) {
                            r.diffIds().add(Digest.parse(rs.getString(2)));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT image_id, reference FROM refs" + filter + " ORDER BY created_at, reference")) {
                if (arg != null) {
                    ps.setString(1, arg);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ImageRecord r = byId.get(rs.getString(1));
                        if (r != null) {
                            r.references().add(rs.getString(2));
                        }
                    }
                }
            }
            return List.copyOf(byId.values());
        });
    }

    public Optional<LayerRecord> layer(Digest diffId) {
        return catalog.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT size, blob_digest, blob_media_type, blob_size FROM layers WHERE diff_id=?")) {
                ps.setString(1, diffId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String blob = rs.getString(2);
                    return Optional.of(new LayerRecord(diffId, rs.getLong(1), blob == null ? null : Digest.parse(blob),
                            rs.getString(3), rs.getLong(4)));
                }
            }
        });
    }

    /**
     * Deletes the image row (its references and layer links go with it) and the layer rows no other
     * image uses. Returns those orphaned layers, whose directories the caller removes.
     */
    public List<Digest> delete(Digest id) {
        return catalog.inTransaction(c -> {
            List<Digest> orphans = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT diff_id FROM image_layers WHERE image_id=? AND diff_id NOT IN "
                            + "(SELECT diff_id FROM image_layers WHERE image_id<>?)")) {
                ps.setString(1, id.toString());
                ps.setString(2, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orphans.add(Digest.parse(rs.getString(1)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE id=?")) {
                ps.setString(1, id.toString());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM layers WHERE diff_id=?")) {
                for (Digest d : orphans) {
                    ps.setString(1, d.toString());
                    ps.executeUpdate();
                }
            }
            return orphans;
        });
    }

    /** Every layer diffID the catalog knows: the layer directories that must stay. */
    public Set<Digest> knownLayers() {
        return catalog.read(c -> {
            Set<Digest> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT diff_id FROM layers"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Digest.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    /** Every blob an image still needs: manifests, configs and compressed layers. */
    public Set<Digest> liveBlobs() {
        return catalog.read(c -> {
            Set<Digest> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM images UNION SELECT manifest_digest FROM images "
                            + "UNION SELECT blob_digest FROM layers WHERE blob_digest IS NOT NULL "
                            + "UNION SELECT substr(reference, instr(reference, '@') + 1) FROM refs WHERE is_digest=1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Digest.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    /** Which image each build step (or commit) was made from. */
    public ImageParents parents() {
        return parents;
    }
}
