package dev.berth.desktop.store;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The desktop app's own small database (SQLite, WAL): settings, saved engine connections, the
 * last-known lists shown before the engine answers, the activity log and stats history. Schema
 * changes are appended to {@link #MIGRATIONS}; {@code PRAGMA user_version} records how many ran.
 */
public final class DesktopCatalog implements StatsHistoryStore, AutoCloseable {
    /** Append only: each entry runs once, in order, on a database that has not seen it. */
    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE connections (name TEXT PRIMARY KEY, host TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE last_known (kind TEXT PRIMARY KEY, json TEXT NOT NULL, saved_at INTEGER NOT NULL);
            CREATE TABLE activity (id INTEGER PRIMARY KEY AUTOINCREMENT, time_millis INTEGER NOT NULL,
                                   kind TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL);
            CREATE TABLE stats_samples (container_id TEXT NOT NULL, time_millis INTEGER NOT NULL,
                                        cpu_percent REAL NOT NULL, memory_bytes INTEGER NOT NULL, memory_limit INTEGER NOT NULL,
                                        net_rx INTEGER NOT NULL, net_tx INTEGER NOT NULL,
                                        block_read INTEGER NOT NULL, block_write INTEGER NOT NULL);
            CREATE INDEX stats_samples_by_container ON stats_samples(container_id, time_millis);
            """,
            """
            CREATE TABLE builds (id INTEGER PRIMARY KEY AUTOINCREMENT, started_millis INTEGER NOT NULL,
                                 context TEXT NOT NULL, dockerfile TEXT NOT NULL, tags TEXT NOT NULL, build_args TEXT NOT NULL,
                                 target TEXT NOT NULL, no_cache INTEGER NOT NULL, pull INTEGER NOT NULL, result TEXT NOT NULL,
                                 image_id TEXT NOT NULL, duration_millis INTEGER NOT NULL, log TEXT NOT NULL);
            """
    );

    /** A saved engine connection. */
    public record SavedConnection(String name, String host, boolean isDefault) {
    }

    /** One line of the activity log. */
    public record Activity(long timeMillis, String kind, String action, String subject, String detail) {
    }

    private final Connection db;

    /** Told of every use of the database, on the thread using it (see {@link #watchAccess}). */
    private volatile java.util.function.Consumer<Thread> accessWatcher = t -> { };

    /** Told of each setting written (key, value), on the writing thread, after the write. */
    private final List<java.util.function.BiConsumer<String, String>> settingListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DesktopCatalog(Connection db) {
        this.db = db;
    }

    /**
     * Calls {@code watcher} with the current thread before each use of the database. A JDBC call can wait
     * behind another (this catalog is one connection, and SQLite's busy timeout is seconds), so none may
     * run on the UI thread: tests watch for that here.
     */
    public void watchAccess(java.util.function.Consumer<Thread> watcher) {
        accessWatcher = watcher == null ? t -> { } : watcher;
    }

    private Connection db() {
        accessWatcher.accept(Thread.currentThread());
        return db;
    }

    /** The catalog under the user's data directory ({@code $XDG_DATA_HOME/berth-desktop}). */
    public static DesktopCatalog openDefault() {
        return open(defaultFile(System.getenv()));
    }

    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("berth-desktop").resolve("desktop.db");
    }

    public static DesktopCatalog open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            DesktopCatalog catalog = new DesktopCatalog(c);
            catalog.migrate();
            return catalog;
        } catch (Exception e) {
            throw new BerthException(ErrorCategory.SYSTEM, "cannot open the desktop catalog " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.getInt(1);
        }
        for (int i = version; i < MIGRATIONS.size(); i++) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                for (String stmt : MIGRATIONS.get(i).split(";")) {
                    if (!stmt.isBlank()) {
                        s.execute(stmt);
                    }
                }
                s.execute("PRAGMA user_version = " + (i + 1));
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    public synchronized int schemaVersion() {
        try (Statement s = db().createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    // ------------------------------------------------------------------ settings

    public synchronized Optional<String> setting(String key) {
        try (PreparedStatement p = db().prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void putSetting(String key, String value) {
        synchronized (this) {
            update("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
        }
        // outside the lock: a listener may hop to the UI thread, which may be waiting for this catalog
        settingListeners.forEach(l -> l.accept(key, value));
    }

    /**
     * Calls {@code listener} (key, value) on the writing thread after each {@link #putSetting}: what
     * caches a setting away from the UI thread (the notifier, the tray's favourites) follows changes.
     */
    public void onSettingChanged(java.util.function.BiConsumer<String, String> listener) {
        settingListeners.add(listener);
    }

    // ------------------------------------------------------------------ connections

    public synchronized List<SavedConnection> connections() {
        List<SavedConnection> out = new ArrayList<>();
        try (Statement s = db().createStatement();
             ResultSet rs = s.executeQuery("SELECT name, host, is_default FROM connections ORDER BY name")) {
            while (rs.next()) {
                out.add(new SavedConnection(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    public synchronized void saveConnection(SavedConnection c) {
        try {
            db().setAutoCommit(false);
            if (c.isDefault()) {
                update("UPDATE connections SET is_default = 0");
            }
            update("INSERT INTO connections(name, host, is_default) VALUES(?, ?, ?) "
                    + "ON CONFLICT(name) DO UPDATE SET host = excluded.host, is_default = excluded.is_default",
                    c.name(), c.host(), c.isDefault() ? 1 : 0);
            db().commit();
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            try {
                db().setAutoCommit(true);
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    public synchronized void removeConnection(String name) {
        update("DELETE FROM connections WHERE name = ?", name);
    }

    // ------------------------------------------------------------------ last-known lists

    /** Keeps the newest list of a kind ("containers", "images", ...) as the engine returned it. */
    public synchronized void saveLastKnown(String kind, String json) {
        update("INSERT INTO last_known(kind, json, saved_at) VALUES(?, ?, ?) "
                + "ON CONFLICT(kind) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at",
                kind, json, System.currentTimeMillis());
    }

    public synchronized Optional<String> lastKnown(String kind) {
        try (PreparedStatement p = db().prepareStatement("SELECT json FROM last_known WHERE kind = ?")) {
            p.setString(1, kind);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    // ------------------------------------------------------------------ activity

    public synchronized void addActivity(Activity a) {
        update("INSERT INTO activity(time_millis, kind, action, subject, detail) VALUES(?, ?, ?, ?, ?)",
                a.timeMillis(), a.kind(), a.action(), a.subject(), a.detail());
    }

    /** The newest {@code limit} entries, newest first. */
    public synchronized List<Activity> recentActivity(int limit) {
        List<Activity> out = new ArrayList<>();
        try (PreparedStatement p = db().prepareStatement(
                "SELECT time_millis, kind, action, subject, detail FROM activity ORDER BY id DESC LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Activity(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    // ------------------------------------------------------------------ stats history

    @Override
    public synchronized void addSample(StatsSample s) {
        update("INSERT INTO stats_samples VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", s.containerId(), s.timeMillis(),
                s.cpuPercent(), s.memoryBytes(), s.memoryLimit(), s.netRx(), s.netTx(), s.blockRead(), s.blockWrite());
    }

    @Override
    public synchronized List<StatsSample> samples(String containerId, int limit) {
        List<StatsSample> out = new ArrayList<>();
        try (PreparedStatement p = db().prepareStatement(
                "SELECT * FROM (SELECT container_id, time_millis, cpu_percent, memory_bytes, memory_limit, net_rx, net_tx, "
                        + "block_read, block_write FROM stats_samples WHERE container_id = ? ORDER BY time_millis DESC LIMIT ?) "
                        + "ORDER BY time_millis")) {
            p.setString(1, containerId);
            p.setInt(2, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new StatsSample(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    @Override
    public synchronized int pruneBefore(long cutoffMillis) {
        return update("DELETE FROM stats_samples WHERE time_millis < ?", cutoffMillis);
    }

    // ------------------------------------------------------------------ build history

    /** Records a build; returns its id. */
    public synchronized long addBuild(BuildRecord b) {
        try (PreparedStatement p = db().prepareStatement("INSERT INTO builds(started_millis, context, dockerfile, tags, build_args, "
                + "target, no_cache, pull, result, image_id, duration_millis, log) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Object[] args = {b.startedMillis(), b.context(), b.dockerfile(), String.join("\n", b.tags()),
                    dev.berth.images.Json.MAPPER.writeValueAsString(new java.util.TreeMap<>(b.buildArgs())), b.target(),
                    b.noCache() ? 1 : 0, b.pull() ? 1 : 0, b.result(), b.imageId(), b.durationMillis(), b.log()};
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw failed(e);
        } catch (java.io.IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "desktop catalog: " + e.getMessage(), e);
        }
    }

    /** The newest {@code limit} builds, newest first. */
    public synchronized List<BuildRecord> builds(int limit) {
        List<BuildRecord> out = new ArrayList<>();
        try (PreparedStatement p = db().prepareStatement("SELECT id, started_millis, context, dockerfile, tags, build_args, target, "
                + "no_cache, pull, result, image_id, duration_millis, log FROM builds ORDER BY id DESC LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String tags = rs.getString(5);
                    Map<String, String> args = dev.berth.images.Json.MAPPER.readValue(rs.getString(6),
                            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
                    out.add(new BuildRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            tags.isEmpty() ? List.of() : List.of(tags.split("\n")), args, rs.getString(7), rs.getInt(8) != 0,
                            rs.getInt(9) != 0, rs.getString(10), rs.getString(11), rs.getLong(12), rs.getString(13)));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        } catch (java.io.IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "desktop catalog: " + e.getMessage(), e);
        }
        return out;
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement p = db().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static BerthException failed(SQLException e) {
        return new BerthException(ErrorCategory.SYSTEM, "desktop catalog: " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at exit; nothing left to save
        }
    }
}
