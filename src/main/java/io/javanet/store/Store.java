package io.javanet.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.net.NetJson;
import io.javanet.net.PortBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The plugin's durable state in one SQLite file. Every change runs in one transaction that is committed (and,
 * with {@code synchronous=FULL}, on disk) before the caller replies to Docker, so a crash at any point loses
 * nothing Docker was told succeeded. Changes of concurrent calls share one commit (group commit): each runs in a
 * savepoint of its own, so one failing undoes only itself, and each caller returns once the commit holding its
 * change is done. Reads go through a second connection, which sees what was committed and waits for no fsync.
 * Every call reads its network, which changes only when created or deleted: networks are kept in memory as
 * committed once read, and forgotten when a write of this store touches them (the plugin is the file's one
 * writer).
 */
public final class Store implements AutoCloseable {

    private static final int SCHEMA_VERSION = 5;

    private final Path file;
    private final Session writer;
    private final Session reader;
    private final ReentrantLock writing = new ReentrantLock();
    private final Queue<PendingWrite> queued = new ConcurrentLinkedQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final Map<String, NetworkRecord> committedNetworks = new ConcurrentHashMap<>();
    /** Networks the open write transaction put or deleted; touched only under {@link #writing}. */
    private final Set<String> networksWritten = new HashSet<>();
    private final ObjectMapper json = new ObjectMapper().registerModule(NetJson.module())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Store(Path file, Connection writer, Connection reader) {
        this.file = file;
        this.writer = new Session(writer);
        this.reader = new Session(reader);
    }

    /**
     * A connection and the statements prepared on it, each kept after its first use: SQLite compiles a statement
     * when it is prepared, which costs more than running it. Used by one thread at a time, as its connection is.
     */
    private static final class Session {
        final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Session(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement statement(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }
    }

    /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
    public static Store open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection writer = connect(file, false);
            try {
                refuseForeignOrCorrupt(writer);
                try (Statement s = writer.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
                writer.setAutoCommit(false);
                migrate(writer);
                Connection reader = connect(file, true);
                reader.setAutoCommit(false);
                return new Store(file, writer, reader);
            } catch (SQLException e) {
                writer.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(StoreErrors.atOpen(file, e), e);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot open state database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a database that is not javanet's (tables of another program and no schema version of ours) or
     * that SQLite finds damaged, before anything is written to it.
     */
    private static void refuseForeignOrCorrupt(Connection connection) throws SQLException {
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
    private static Connection connect(Path file, boolean readOnly) throws SQLException {
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

    private static void migrate(Connection connection) throws SQLException {
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

    /**
     * Runs {@code work} in one transaction: all its writes are committed together or not at all, and are on
     * disk when this returns. Works queued meanwhile by other threads are committed with it.
     */
    public void write(Consumer<Tx> work) {
        PendingWrite mine = new PendingWrite(work);
        queued.add(mine);
        writing.lock();
        try {
            if (!mine.done) {
                commitQueued();
            }
        } finally {
            writing.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** A work waiting for a commit, and what became of it. */
    private static final class PendingWrite {
        final Consumer<Tx> work;
        RuntimeException failure;
        boolean done;

        PendingWrite(Consumer<Tx> work) {
            this.work = work;
        }
    }

    private void commitQueued() {
        List<PendingWrite> batch = new ArrayList<>();
        for (PendingWrite p = queued.poll(); p != null; p = queued.poll()) {
            batch.add(p);
        }
        Tx tx = new Tx(writer);
        Connection connection = writer.connection;
        StoreException failed = null;
        try {
            for (PendingWrite p : batch) {
                Savepoint before = connection.setSavepoint();
                try {
                    p.work.accept(tx);
                    connection.releaseSavepoint(before);
                } catch (RuntimeException e) {
                    p.failure = e;
                    connection.rollback(before);
                    connection.releaseSavepoint(before);
                }
            }
            connection.commit();
            commits.incrementAndGet();
        } catch (SQLException e) {
            failed = new StoreException(StoreErrors.during(file, "commit", e), e);
        } catch (Error e) {
            // Not one work's failure: none of the batch may pass for committed.
            failed = new StoreException("state database write abandoned: " + e, e);
            throw e;
        } finally {
            if (failed != null) {
                rollbackAfter(failed);
                StoreException cause = failed;
                batch.stream().filter(p -> p.failure == null).forEach(p -> p.failure = cause);
            }
            forgetWrittenNetworks();
            batch.forEach(p -> p.done = true);
        }
    }

    /**
     * After a commit or rollback, before any writer returns: a read that began before it may have kept what it
     * replaced, and one that begins after it, under the same lock, sees it in the database.
     */
    private void forgetWrittenNetworks() {
        if (networksWritten.isEmpty()) {
            return;
        }
        synchronized (reader) {
            networksWritten.forEach(committedNetworks::remove);
        }
        networksWritten.clear();
    }

    /**
     * Undoes the open transaction after {@code cause}, which stays the error reported, and opens the next. SQLite
     * may have rolled back itself (as on a full disk); the JDBC driver's rollback then fails before it opens the
     * next transaction, and later writes would each commit on their own, so that one is opened here.
     */
    private void rollbackAfter(StoreException cause) {
        try {
            writer.connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            try (Statement s = writer.connection.createStatement()) {
                s.execute("BEGIN");
            } catch (SQLException again) {
                cause.addSuppressed(again);
            }
        }
    }

    /** Runs a read-only query against a consistent view of what is committed. */
    public <T> T read(Function<Tx, T> query) {
        synchronized (reader) {
            try {
                return query.apply(new Tx(reader));
            } finally {
                try {
                    reader.connection.rollback();
                } catch (SQLException e) {
                    throw new StoreException(StoreErrors.during(file, "read", e), e);
                }
            }
        }
    }

    /** The network as last committed, from memory once read. */
    public Optional<NetworkRecord> network(String networkId) {
        NetworkRecord known = committedNetworks.get(networkId);
        if (known != null) {
            return Optional.of(known);
        }
        return read(tx -> {
            Optional<NetworkRecord> found = tx.network(networkId);
            found.ifPresent(network -> committedNetworks.put(networkId, network));
            return found;
        });
    }

    /** Commits made since opening: fewer than the writes made is group commit at work. */
    public long commits() {
        return commits.get();
    }

    @Override
    public void close() {
        writing.lock();
        try {
            synchronized (reader) {
                // Closing a connection finalizes the statements prepared on it.
                reader.connection.close();
                writer.connection.close();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot close state database: " + e.getMessage(), e);
        } finally {
            writing.unlock();
        }
    }

    /** The operations available inside one transaction. */
    public final class Tx {

        private final Session session;

        private Tx(Session session) {
            this.session = session;
        }

        public void putPool(PoolRecord pool) {
            update("INSERT OR REPLACE INTO pools (pool_id, record) VALUES (?, ?)", pool.poolId(), toJson(pool));
        }

        public void deletePool(String poolId) {
            update("DELETE FROM pools WHERE pool_id = ?", poolId);
        }

        public List<PoolRecord> pools() {
            return query("SELECT record FROM pools ORDER BY pool_id", rs -> fromJson(rs.getString(1), PoolRecord.class));
        }

        public void putAllocation(AllocationRecord allocation) {
            update("INSERT INTO allocations (pool_id, address, role) VALUES (?, ?, ?)",
                    allocation.poolId(), allocation.address(), allocation.role().name());
        }

        public void deleteAllocation(String poolId, String address) {
            update("DELETE FROM allocations WHERE pool_id = ? AND address = ?", poolId, address);
        }

        public List<AllocationRecord> allocations() {
            return query("SELECT pool_id, address, role FROM allocations ORDER BY pool_id, address",
                    rs -> new AllocationRecord(rs.getString(1), rs.getString(2),
                            AllocationRecord.Role.valueOf(rs.getString(3))));
        }

        public void putNetwork(NetworkRecord network) {
            update("INSERT OR REPLACE INTO networks (network_id, record) VALUES (?, ?)",
                    network.networkId(), toJson(network));
            networksWritten.add(network.networkId());
        }

        public void deleteNetwork(String networkId) {
            update("DELETE FROM networks WHERE network_id = ?", networkId);
            networksWritten.add(networkId);
        }

        public Optional<NetworkRecord> network(String networkId) {
            return query("SELECT record FROM networks WHERE network_id = ?",
                    rs -> fromJson(rs.getString(1), NetworkRecord.class), networkId).stream().findFirst();
        }

        public List<NetworkRecord> networks() {
            return query("SELECT record FROM networks ORDER BY network_id",
                    rs -> fromJson(rs.getString(1), NetworkRecord.class));
        }

        public void putEndpoint(EndpointRecord endpoint) {
            update("INSERT OR REPLACE INTO endpoints (endpoint_id, network_id, record, publishes) VALUES (?, ?, ?, ?)",
                    endpoint.endpointId(), endpoint.networkId(), toJson(endpoint), endpoint.portMap().isEmpty() ? 0 : 1);
        }

        public void deleteEndpoint(String endpointId) {
            update("DELETE FROM endpoints WHERE endpoint_id = ?", endpointId);
        }

        public Optional<EndpointRecord> endpoint(String endpointId) {
            return query("SELECT record FROM endpoints WHERE endpoint_id = ?",
                    rs -> fromJson(rs.getString(1), EndpointRecord.class), endpointId).stream().findFirst();
        }

        public List<EndpointRecord> endpoints(String networkId) {
            return query("SELECT record FROM endpoints WHERE network_id = ? ORDER BY endpoint_id",
                    rs -> fromJson(rs.getString(1), EndpointRecord.class), networkId);
        }

        /** Every port published by any endpoint, read from the endpoints that publish some. */
        public List<PortBinding> publishedPorts() {
            List<PortBinding> ports = new ArrayList<>();
            query("SELECT record FROM endpoints WHERE publishes = 1 ORDER BY endpoint_id",
                    rs -> ports.addAll(fromJson(rs.getString(1), EndpointRecord.class).portMap()));
            return ports;
        }

        /** How many endpoints each network has, by network ID; networks without any are absent. */
        public Map<String, Integer> endpointCounts() {
            return counts("SELECT network_id, COUNT(*) FROM endpoints GROUP BY network_id");
        }

        /** How many addresses are allocated in each pool, by pool ID; pools without any are absent. */
        public Map<String, Integer> allocationCounts() {
            return counts("SELECT pool_id, COUNT(*) FROM allocations GROUP BY pool_id");
        }

        private Map<String, Integer> counts(String sql) {
            Map<String, Integer> counts = new HashMap<>();
            query(sql, rs -> counts.put(rs.getString(1), rs.getInt(2)));
            return counts;
        }

        /**
         * Records, before the kernel is touched, that we are about to create or delete a link: if we crash before
         * the call's final commit, start-up reconciliation finds the name here and cleans up.
         */
        public void putLinkIntent(String link) {
            update("INSERT OR REPLACE INTO link_intents (link) VALUES (?)", link);
        }

        public void deleteLinkIntent(String link) {
            update("DELETE FROM link_intents WHERE link = ?", link);
        }

        public List<String> linkIntents() {
            return query("SELECT link FROM link_intents ORDER BY link", rs -> rs.getString(1));
        }

        /** A node of the swarm, by its address. */
        public void putPeer(String address) {
            update("INSERT OR REPLACE INTO peers (address) VALUES (?)", address);
        }

        public void deletePeer(String address) {
            update("DELETE FROM peers WHERE address = ?", address);
        }

        public List<String> peers() {
            return query("SELECT address FROM peers ORDER BY address", rs -> rs.getString(1));
        }

        /** This node's own swarm address, as Docker announced it. */
        public void putSelf(String address) {
            update("DELETE FROM self");
            update("INSERT INTO self (address) VALUES (?)", address);
        }

        public Optional<String> self() {
            return query("SELECT address FROM self", rs -> rs.getString(1)).stream().findFirst();
        }

        /** The VXLAN id allocated to an overlay network; one another network holds is refused, never taken. */
        public void putVni(String networkId, int vni) {
            update("INSERT INTO vnis (network_id, vni) VALUES (?, ?)"
                    + " ON CONFLICT (network_id) DO UPDATE SET vni = excluded.vni", networkId, vni);
        }

        public void deleteVni(String networkId) {
            update("DELETE FROM vnis WHERE network_id = ?", networkId);
        }

        public Map<String, Integer> vnis() {
            Map<String, Integer> vnis = new java.util.TreeMap<>();
            query("SELECT network_id, vni FROM vnis", rs -> Map.entry(rs.getString(1), rs.getInt(2)))
                    .forEach(e -> vnis.put(e.getKey(), e.getValue()));
            return vnis;
        }

        private void update(String sql, Object... args) {
            try {
                bind(sql, args).executeUpdate();
            } catch (SQLException e) {
                throw new StoreException(StoreErrors.during(file, "write", e), e);
            }
        }

        private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
            try (ResultSet rs = bind(sql, args).executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            } catch (SQLException e) {
                throw new StoreException(StoreErrors.during(file, "read", e), e);
            }
        }

        private PreparedStatement bind(String sql, Object... args) throws SQLException {
            PreparedStatement ps = session.statement(sql);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps;
        }
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private <T> T fromJson(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt " + type.getSimpleName() + " row: " + e.getMessage(), e);
        }
    }
}
