package io.javanet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process's claim on a state database: an exclusive lock on {@code NAME.db.lock} beside it, which holds the
 * holder's description. The kernel releases the lock when the process dies, so a crash leaves no stale lock; the
 * file itself stays, and says which javanet last held the database.
 */
public final class StateLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;

    private StateLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The lock file of a database. */
    public static Path fileOf(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    /**
     * Takes the database for this process and writes {@code holder} into its lock file; refuses, naming the
     * process that holds it, if another does.
     */
    public static StateLock acquire(Path database, String holder) {
        Path file = fileOf(database);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            StateLock lock = lock(file, false).orElseThrow(() -> new StoreException("state database " + database
                    + " is in use by " + holderIn(file) + ": javanet does not start, as two plugins must not share one"
                    + " database (" + file + " names the holder while it runs)", null));
            lock.write(holder);
            return lock;
        } catch (IOException e) {
            throw new StoreException("cannot lock state database " + database + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * The lock of {@code database} if no process holds it; with {@code newFile}, only if its lock file did not exist
     * either (so that of two processes, one alone makes it).
     */
    public static Optional<StateLock> tryAcquire(Path database, boolean newFile) throws IOException {
        return lock(fileOf(database), newFile);
    }

    private static Optional<StateLock> lock(Path file, boolean newFile) throws IOException {
        FileChannel channel;
        try {
            channel = newFile ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this process already
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(new StateLock(file, channel));
    }

    /** What the lock file says of its holder, read while holding it. */
    public String holder() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(bytes, 0);
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).strip();
    }

    /** Replaces what the lock file says, on disk when this returns. */
    public void write(String text) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    /** The holder named in a lock file another process holds; it writes its name just after locking. */
    private static String holderIn(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    /** Deletes the lock file, then releases the lock: for a database that is gone. */
    public void closeAndDelete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + file + ": " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    /** Releases the lock; the file stays. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StoreException("cannot release " + file + ": " + e.getMessage(), e);
        }
    }
}
