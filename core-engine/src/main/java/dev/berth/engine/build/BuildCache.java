package dev.berth.engine.build;

import dev.berth.engine.catalog.Catalog;
import dev.berth.images.Digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Build steps already done: key (parent image + instruction with its inputs) to the image that step
 * produced. Kept in the catalog so it survives restarts; an entry whose image is gone is a miss.
 */
public final class BuildCache {
    private final Catalog catalog;

    public BuildCache(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The key of one step: its parent's ID and every input, each length-prefixed so none can run into the next. */
    public static String key(Digest parent, String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((parent == null ? "scratch" : parent.toString()).getBytes(StandardCharsets.UTF_8));
            for (String p : parts) {
                byte[] b = (p == null ? "" : p).getBytes(StandardCharsets.UTF_8);
                md.update(("\n" + b.length + ":").getBytes(StandardCharsets.UTF_8));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Digest> get(String key) {
        return catalog.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT image_id FROM build_cache WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(Digest.parse(r.getString(1))) : Optional.<Digest>empty();
                }
            }
        });
    }

    public void put(String key, Digest image) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT OR REPLACE INTO build_cache(key, image_id, created) VALUES (?, ?, ?)")) {
                s.setString(1, key);
                s.setString(2, image.toString());
                s.setString(3, Instant.now().toString());
                return s.executeUpdate();
            }
        });
    }

    /** @return the images the removed entries pointed at, for the caller to delete if nothing else uses them */
    public java.util.List<Digest> clear() {
        return remove(created -> true);
    }

    /**
     * Removes the entries whose creation time {@code matches} (an entry without one, from before times
     * were kept, counts as old: the epoch).
     *
     * @return the images only removed entries pointed at, for the caller to delete if nothing else uses them
     */
    public java.util.List<Digest> remove(java.util.function.Predicate<Instant> matches) {
        return catalog.inTransaction(c -> {
            java.util.List<String> keys = new java.util.ArrayList<>();
            java.util.Set<String> images = new java.util.LinkedHashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT key, image_id, created FROM build_cache");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String created = r.getString(3);
                    Instant at = created == null || created.isEmpty() ? Instant.EPOCH : Instant.parse(created);
                    if (matches.test(at)) {
                        keys.add(r.getString(1));
                        images.add(r.getString(2));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM build_cache WHERE key = ?")) {
                for (String key : keys) {
                    s.setString(1, key);
                    s.executeUpdate();
                }
            }
            // an image another (newer) entry still names stays
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT image_id FROM build_cache");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    images.remove(r.getString(1));
                }
            }
            return images.stream().map(Digest::parse).toList();
        });
    }
}
