package io.javanet.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** A database's files as SQLite keeps them: the database, its write-ahead log ({@code -wal}) and its index ({@code -shm}). */
public final class DatabaseFiles {

    /**
     * In WAL mode every open connection holds a read lock on this byte of the {@code -shm} file, its "dead-man
     * switch" (os_unix.c: {@code UNIX_SHM_DMS}, after the 8 lock bytes from byte 120), until it closes.
     */
    private static final long SHM_DMS_BYTE = 128;

    private DatabaseFiles() {
    }

    /**
     * Whether another process has the database open, lock file or not (a javanet before {@link StateLock} took
     * none): SQLite's own lock on the {@code -shm} file says so. Must not be asked of a database this process has
     * open: closing the probe would drop SQLite's locks on the file.
     */
    public static boolean openElsewhere(Path database) {
        Path shm = sibling(database, "-shm");
        try (FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock(SHM_DMS_BYTE, 1, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot tell whether " + database + " is in use: " + e.getMessage(), e);
        }
    }

    /**
     * Renames a database no process has open, with its write-ahead log (committed changes a crash left there);
     * its index is made again from the log at the next open. The database goes last: a move cut short by a crash
     * is done again from the start, and the log already moved finds its database.
     */
    public static void move(Path from, Path to) {
        try {
            Path wal = sibling(from, "-wal");
            if (Files.exists(wal)) {
                Files.move(wal, sibling(to, "-wal"), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.deleteIfExists(sibling(from, "-shm"));
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("cannot move state database " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a database no process has open with its log and index, the database last: a deletion cut short by a
     * crash leaves a database that opens as it was.
     */
    public static void delete(Path database) {
        try {
            Files.deleteIfExists(sibling(database, "-wal"));
            Files.deleteIfExists(sibling(database, "-shm"));
            Files.deleteIfExists(database);
        } catch (IOException e) {
            throw new StoreException("cannot delete state database " + database + ": " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path database, String suffix) {
        return database.resolveSibling(database.getFileName() + suffix);
    }
}
