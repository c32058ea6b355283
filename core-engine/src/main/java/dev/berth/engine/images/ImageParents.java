package dev.berth.engine.images;

import dev.berth.engine.catalog.Catalog;
import dev.berth.images.Digest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The parent of each image the classic builder (or commit) made: moby's image store keeps it as
 * metadata beside the config, not in it. It decides what {@code docker images} hides (untagged
 * images with children are intermediate steps), what a delete prunes after the image (its untagged
 * parents) and what it refuses ("image has dependent child images"). Both ends cascade on delete, as
 * moby drops a child's parent link when the parent goes.
 */
public final class ImageParents {
    private final Catalog catalog;

    public ImageParents(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Records {@code parent} as {@code child}'s parent; nothing if either image is gone by now. */
    public void set(Digest child, Digest parent) {
        catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO image_parents(image_id, parent_id) SELECT ?, ? "
                            + "WHERE EXISTS (SELECT 1 FROM images WHERE id=?) AND EXISTS (SELECT 1 FROM images WHERE id=?)")) {
                ps.setString(1, child.toString());
                ps.setString(2, parent.toString());
                ps.setString(3, child.toString());
                ps.setString(4, parent.toString());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Digest> parent(Digest child) {
        return catalog.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT parent_id FROM image_parents WHERE image_id=?")) {
                ps.setString(1, child.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.<Digest>empty();
                }
            }
        });
    }

    public boolean hasChildren(Digest id) {
        return catalog.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM image_parents WHERE parent_id=? LIMIT 1")) {
                ps.setString(1, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Child to parent, for every image that has a parent: one query for a whole list. */
    public java.util.Map<Digest, Digest> all() {
        return catalog.read(c -> {
            java.util.Map<Digest, Digest> out = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT image_id, parent_id FROM image_parents");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)));
                }
            }
            return out;
        });
    }
}
