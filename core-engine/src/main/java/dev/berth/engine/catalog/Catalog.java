package dev.berth.engine.catalog;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The engine's SQLite catalog under the data root. WAL journaling makes every committed transaction
 * survive a {@code kill -9}; what a transaction did not commit never happened. One connection,
 * serialised by this object: the catalog is small and SQLite writes are single-writer anyway.
 */
public final class Catalog implements AutoCloseable {
    /** Versioned migrations: index i upgrades schema version i to i+1. Append only. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE images(
              id TEXT PRIMARY KEY,
              manifest_digest TEXT NOT NULL,
              manifest_media_type TEXT NOT NULL,
              created TEXT,
              size INTEGER NOT NULL,
              loaded_at INTEGER NOT NULL);
            CREATE TABLE layers(
              diff_id TEXT PRIMARY KEY,
              size INTEGER NOT NULL,
              blob_digest TEXT,
              blob_media_type TEXT,
              blob_size INTEGER);
            CREATE TABLE image_layers(
              image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              diff_id TEXT NOT NULL REFERENCES layers(diff_id),
              PRIMARY KEY(image_id, position));
            CREATE INDEX image_layers_by_diff ON image_layers(diff_id);
            CREATE TABLE refs(
              reference TEXT PRIMARY KEY,
              image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
              is_digest INTEGER NOT NULL,
              created_at INTEGER NOT NULL);
            CREATE INDEX refs_by_image ON refs(image_id);
            """, """
            CREATE TABLE containers(
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              image_id TEXT NOT NULL,
              image_name TEXT NOT NULL,
              config TEXT NOT NULL,
              created TEXT NOT NULL,
              state TEXT NOT NULL,
              pid INTEGER NOT NULL DEFAULT 0,
              exit_code INTEGER NOT NULL DEFAULT 0,
              started_at TEXT,
              finished_at TEXT);
            """, """
            CREATE TABLE volumes(
              name TEXT PRIMARY KEY,
              driver TEXT NOT NULL,
              labels TEXT NOT NULL,
              options TEXT NOT NULL,
              created TEXT NOT NULL);
            CREATE TABLE volume_refs(
              volume TEXT NOT NULL REFERENCES volumes(name),
              container_id TEXT NOT NULL,
              PRIMARY KEY(volume, container_id));
            CREATE INDEX volume_refs_by_container ON volume_refs(container_id);
            """, """
            CREATE TABLE networks(
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              config TEXT NOT NULL,
              created TEXT NOT NULL);
            """, """
            CREATE TABLE container_lifecycle(
              id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
              paused INTEGER NOT NULL DEFAULT 0,
              restarting INTEGER NOT NULL DEFAULT 0,
              restart_count INTEGER NOT NULL DEFAULT 0,
              oom_killed INTEGER NOT NULL DEFAULT 0,
              manually_stopped INTEGER NOT NULL DEFAULT 0,
              error TEXT NOT NULL DEFAULT '');
            """, """
            CREATE TABLE build_cache(
              key TEXT PRIMARY KEY,
              image_id TEXT NOT NULL,
              created TEXT NOT NULL);
            """, """
            CREATE TABLE container_removals(
              id TEXT PRIMARY KEY,
              remove_volumes INTEGER NOT NULL DEFAULT 0);
            """, """
            CREATE TABLE image_parents(
              image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
              parent_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE);
            CREATE INDEX image_parents_by_parent ON image_parents(parent_id);
            """);

    /** Below this much free space, a failed write is taken for the full disk it most likely is. */
    private static final long NEARLY_FULL = 1 << 20;

    private final Connection connection;
    private final Path file;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public Catalog(Path file) {
        this.file = file;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            migrate();
        } catch (SQLException e) {
            throw BerthException.system("cannot open the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        inTransaction(c -> {
            int version;
            try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > MIGRATIONS.size()) {
                throw new SQLException("catalog schema version " + version + " is newer than this Berth ("
                        + MIGRATIONS.size() + "); upgrade Berth");
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                try (Statement s = c.createStatement()) {
                    for (String stmt : MIGRATIONS.get(v).split(";")) {
                        if (!stmt.isBlank()) {
                            s.execute(stmt);
                        }
                    }
                    s.execute("PRAGMA user_version=" + (v + 1));
                }
            }
            return null;
        });
    }

    /** Runs {@code work} in one transaction: all of it commits, or none of it does. */
    public synchronized <T> T inTransaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException notInTransaction) {
                    // SQLite rolls back on its own after some errors (SQLITE_FULL): the first error is the one to tell.
                    e.addSuppressed(notInTransaction);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw writeFailed(e);
        }
    }

    /**
     * SQLite reports a full disk as SQLITE_FULL only sometimes: when the WAL cannot grow at commit it rolls the
     * transaction back itself and the driver's commit then fails with "no transaction is active". So a write that
     * fails on a disk with almost no room left is reported as the full disk.
     */
    private BerthException writeFailed(SQLException e) {
        long free = -1;
        try {
            free = Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace();
        } catch (IOException | RuntimeException unknown) {
            // not knowing the free space, say what SQLite said
        }
        if (free >= 0 && free < NEARLY_FULL) {
            return new BerthException(ErrorCategory.NO_SPACE, "catalog error: " + e.getMessage()
                    + ": No space left on device (" + free / 1024 + " KiB free under " + file.getParent() + ")", e);
        }
        return BerthException.system("catalog error: " + e.getMessage(), e);
    }

    /** Reads; still serialised, so readers never see a transaction half-applied. */
    public synchronized <T> T read(Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw BerthException.system("catalog error: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing at shutdown; WAL makes the state durable already.
        }
    }
}
