package io.javanet.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database's schema: connections as javanet opens them, the refusal of a file that is not ours or is
 * damaged, and the migrations that bring an older schema up to date, each a step of its own.
 */
final class StoreSchema {

    static final int SCHEMA_VERSION = 5;

    private StoreSchema() {
    }

    /**
     * Refuses a database that is not javanet's (tables of another program and no schema version of ours) or
     * that SQLite finds damaged, before anything is written to it.
     */
    static void refuseForeignOrCorrupt(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            List<String> problems = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                while (rs.next() && problems.size() < 3) {
                    problems.add(rs.getString(1));
                }
            }
            if (!problems.equals(List.of("ok"))) {
                throw new SQLException("damaged: " + String.join("; ", problems), "corrupt", StoreErrors.CORRUPT);
            }
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (version == 0 && !tables.isEmpty()) {
                throw new SQLException("not javanet's: it holds tables " + String.join(", ", tables)
                        + " and no javanet schema version", "foreign", StoreErrors.CORRUPT);
            }
        }
    }

    /** A connection in autocommit mode; WAL, once set on the file, holds for every connection. */
    static Connection connect(Path file, boolean readOnly) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only=" + (readOnly ? "ON" : "OFF"));
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static void migrate(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("database schema " + version + " is newer than this javanet ("
                        + SCHEMA_VERSION + ")");
            }
            if (version < 1) {
                s.execute("CREATE TABLE pools (pool_id TEXT PRIMARY KEY, record TEXT NOT NULL)");
                s.execute("CREATE TABLE allocations (pool_id TEXT NOT NULL REFERENCES pools(pool_id)"
                        + " ON DELETE CASCADE, address TEXT NOT NULL, role TEXT NOT NULL,"
                        + " PRIMARY KEY (pool_id, address))");
                s.execute("CREATE TABLE networks (network_id TEXT PRIMARY KEY, record TEXT NOT NULL)");
                s.execute("CREATE TABLE endpoints (endpoint_id TEXT PRIMARY KEY, network_id TEXT NOT NULL"
                        + " REFERENCES networks(network_id), record TEXT NOT NULL)");
                s.execute("CREATE INDEX endpoints_by_network ON endpoints(network_id)");
            }
            if (version < 2) {
                s.execute("CREATE TABLE link_intents (link TEXT PRIMARY KEY)");
            }
            if (version < 3) {
                // Published ports are looked up on every attach: an index keeps that flat as endpoints grow.
                s.execute("ALTER TABLE endpoints ADD COLUMN publishes INTEGER NOT NULL DEFAULT 0");
                s.execute("UPDATE endpoints SET publishes = 1 WHERE json_array_length(record, '$.portMap') > 0");
                s.execute("CREATE INDEX endpoints_publishing ON endpoints(publishes) WHERE publishes = 1");
            }
            if (version < 4) {
                // Overlay networks: the swarm's other nodes (nothing replays them after a restart) and, on the
                // manager that allocates them, each network's VXLAN id.
                s.execute("CREATE TABLE peers (address TEXT PRIMARY KEY)");
                s.execute("CREATE TABLE vnis (network_id TEXT PRIMARY KEY, vni INTEGER NOT NULL UNIQUE)");
            }
            if (version < 5) {
                // This node's own swarm address, which encrypted overlays derive its keys from.
                s.execute("CREATE TABLE self (address TEXT NOT NULL)");
            }
            s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }
}
