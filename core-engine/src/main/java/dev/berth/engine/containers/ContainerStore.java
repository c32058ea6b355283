package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.catalog.Catalog;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The containers table of the catalog. Names are stored without Docker's leading '/'. */
public final class ContainerStore {
    private static final String COLUMNS =
            "id, name, image_id, image_name, config, created, state, pid, exit_code, started_at, finished_at";

    private final Catalog catalog;

    public ContainerStore(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Inserts a new container; the name's UNIQUE constraint is what makes concurrent creates safe. */
    public void insert(ContainerRecord r) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM containers WHERE name = ?")) {
                s.setString(1, r.name());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        throw nameInUse(r.name(), rs.getString(1));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO containers(" + COLUMNS
                    + ") VALUES(?,?,?,?,?,?,?,?,?,?,?)")) {
                bind(s, r);
                s.executeUpdate();
            }
            return null;
        });
    }

    static BerthException nameInUse(String name, String holder) {
        return BerthException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    public void update(ContainerRecord r) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE containers SET state=?, pid=?, exit_code=?, "
                    + "started_at=?, finished_at=? WHERE id=?")) {
                s.setString(1, r.state().name());
                s.setLong(2, r.pid());
                s.setInt(3, r.exitCode());
                s.setString(4, str(r.startedAt()));
                s.setString(5, str(r.finishedAt()));
                s.setString(6, r.id());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Replaces the stored config JSON: used for state kept beside it, such as the network attachment. */
    public void updateConfig(String id, com.fasterxml.jackson.databind.node.ObjectNode config) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE containers SET config=? WHERE id=?")) {
                try {
                    s.setString(1, Json.MAPPER.writeValueAsString(config));
                } catch (IOException e) {
                    throw new SQLException(e);
                }
                s.setString(2, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    public void delete(String id) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM containers WHERE id=?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
            return null;
        });
    }

    public Optional<ContainerRecord> get(String id) {
        List<ContainerRecord> l = query("SELECT " + COLUMNS + " FROM containers WHERE id=?", id);
        return l.stream().findFirst();
    }

    public Optional<ContainerRecord> byName(String name) {
        return query("SELECT " + COLUMNS + " FROM containers WHERE name=?", name).stream().findFirst();
    }

    public List<ContainerRecord> byIdPrefix(String prefix) {
        // substr rather than LIKE: '_' in a prefix would be a LIKE wildcard.
        return query("SELECT " + COLUMNS + " FROM containers WHERE substr(id, 1, " + prefix.length() + ") = ?", prefix);
    }

    public List<ContainerRecord> all() {
        return query("SELECT " + COLUMNS + " FROM containers ORDER BY created DESC, id");
    }

    private List<ContainerRecord> query(String sql, String... args) {
        return catalog.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setString(i + 1, args[i]);
                }
                List<ContainerRecord> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    private static ContainerRecord row(ResultSet rs) throws SQLException {
        ObjectNode config;
        try {
            config = (ObjectNode) Json.MAPPER.readTree(rs.getString("config"));
        } catch (IOException e) {
            throw new SQLException("unreadable config of container " + rs.getString("id"), e);
        }
        return new ContainerRecord(rs.getString("id"), rs.getString("name"), rs.getString("image_id"),
                rs.getString("image_name"), config, Instant.parse(rs.getString("created")),
                ContainerRecord.State.valueOf(rs.getString("state")), rs.getLong("pid"), rs.getInt("exit_code"),
                instant(rs.getString("started_at")), instant(rs.getString("finished_at")));
    }

    private static void bind(PreparedStatement s, ContainerRecord r) throws SQLException {
        s.setString(1, r.id());
        s.setString(2, r.name());
        s.setString(3, r.imageId());
        s.setString(4, r.imageName());
        try {
            s.setString(5, Json.MAPPER.writeValueAsString(r.config()));
        } catch (IOException e) {
            throw new SQLException(e);
        }
        s.setString(6, r.created().toString());
        s.setString(7, r.state().name());
        s.setLong(8, r.pid());
        s.setInt(9, r.exitCode());
        s.setString(10, str(r.startedAt()));
        s.setString(11, str(r.finishedAt()));
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    Catalog catalog() {
        return catalog;
    }

    /** Renames in one transaction, so two renames (or a create) cannot take one name. */
    public void rename(String id, String newName) {
        catalog.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM containers WHERE name = ?")) {
                s.setString(1, newName);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        throw nameInUse(newName, rs.getString(1));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE containers SET name=? WHERE id=?")) {
                s.setString(1, newName);
                s.setString(2, id);
                s.executeUpdate();
            }
            return null;
        });
    }
}
