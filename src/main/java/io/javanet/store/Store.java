package io.javanet.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javanet.net.NetJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
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
 * writer). This class is the transactions; their queries are {@link Tx}'s, the schema and its migrations
 * {@link StoreSchema}'s.
 */
public final class Store implements AutoCloseable {

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

    /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
    public static Store open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection writer = StoreSchema.connect(file, false);
            try {
                StoreSchema.refuseForeignOrCorrupt(writer);
                try (Statement s = writer.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
                writer.setAutoCommit(false);
                StoreSchema.migrate(writer);
                Connection reader = StoreSchema.connect(file, true);
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
        Tx tx = new Tx(writer, file, json, networksWritten);
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
                return query.apply(new Tx(reader, file, json, Set.of()));
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
}
