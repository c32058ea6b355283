package dev.berth.engine.containers;

import dev.berth.engine.catalog.Catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The container_removals table: a removal is written here before anything of the container is
 * cleaned up and deleted only once all of it is gone (row, network, volumes, runtime record, files),
 * so a daemon killed in between finishes the job at its next start ({@link RemovalSweep}). No foreign
 * key: a --rm removal deletes the container's row before its files go, and the mark must outlive it.
 */
final class RemovalJournal {
    private final Catalog catalog;

    RemovalJournal(Catalog catalog) {
        this.catalog = catalog;
    }

    void mark(String id, boolean removeVolumes) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO container_removals(id, remove_volumes) VALUES(?,?) "
                    + "ON CONFLICT(id) DO UPDATE SET remove_volumes=max(remove_volumes, excluded.remove_volumes)")) {
                s.setString(1, id);
                s.setInt(2, removeVolumes ? 1 : 0);
                s.executeUpdate();
            }
            return null;
        });
    }

    void done(String id) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM container_removals WHERE id=?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Removals a previous daemon marked and did not finish: id → whether {@code rm -v} was asked. */
    Map<String, Boolean> pending() {
        return catalog.read(c -> {
            Map<String, Boolean> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, remove_volumes FROM container_removals ORDER BY id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2) != 0);
                }
            }
            return out;
        });
    }
}
