package dev.berth.engine.containers;

import dev.berth.engine.catalog.Catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The container_lifecycle table: one optional row per container, deleted with it (ON DELETE CASCADE). */
final class LifecycleStore {
    private final Catalog catalog;

    LifecycleStore(Catalog catalog) {
        this.catalog = catalog;
    }

    LifecycleState get(String id) {
        return catalog.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT paused, restarting, restart_count, oom_killed, "
                    + "manually_stopped, error FROM container_lifecycle WHERE id=?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return LifecycleState.INITIAL;
                    }
                    return new LifecycleState(rs.getInt(1) != 0, rs.getInt(2) != 0, rs.getInt(3), rs.getInt(4) != 0,
                            rs.getInt(5) != 0, rs.getString(6));
                }
            }
        });
    }

    /** Writes the row; a container removed meanwhile makes this a no-op (the foreign key is not violated). */
    void put(String id, LifecycleState st) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO container_lifecycle(id, paused, restarting, "
                    + "restart_count, oom_killed, manually_stopped, error) SELECT ?,?,?,?,?,?,? "
                    + "WHERE EXISTS (SELECT 1 FROM containers WHERE id=?) "
                    + "ON CONFLICT(id) DO UPDATE SET paused=excluded.paused, restarting=excluded.restarting, "
                    + "restart_count=excluded.restart_count, oom_killed=excluded.oom_killed, "
                    + "manually_stopped=excluded.manually_stopped, error=excluded.error")) {
                s.setString(1, id);
                s.setInt(2, st.paused() ? 1 : 0);
                s.setInt(3, st.restarting() ? 1 : 0);
                s.setInt(4, st.restartCount());
                s.setInt(5, st.oomKilled() ? 1 : 0);
                s.setInt(6, st.manuallyStopped() ? 1 : 0);
                s.setString(7, st.error() == null ? "" : st.error());
                s.setString(8, id);
                s.executeUpdate();
            }
            return null;
        });
    }
}
