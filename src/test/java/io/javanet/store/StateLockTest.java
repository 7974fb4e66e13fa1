package io.javanet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondJavanetIsRefusedNamingTheHolderUntilTheHolderDies() throws Exception {
        Path db = dir.resolve("javanet-3f2a4b5c6d7e.db");
        Process holder = HoldingProcess.start("lock", db.toString(), "managed plugin 3f2a4b5c6d7e" + "0".repeat(52));
        try {
            assertThatThrownBy(() -> StateLock.acquire(db, "socket-file plugin /run/docker/plugins/x.sock (pid 1)"))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("state database " + db + " is in use by managed plugin 3f2a4b5c6d7e" + "0".repeat(52)
                            + ": javanet does not start, as two plugins must not share one database (" + db
                            + ".lock names the holder while it runs)");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // Killed, it holds nothing: the kernel released its lock.
        try (StateLock lock = StateLock.acquire(db, "socket-file plugin /run/docker/plugins/x.sock (pid 1)")) {
            assertThat(lock.holder()).isEqualTo("socket-file plugin /run/docker/plugins/x.sock (pid 1)");
        }
        assertThat(Files.readString(StateLock.fileOf(db))).isEqualTo("socket-file plugin /run/docker/plugins/x.sock (pid 1)\n");
    }

    @Test
    void aLockThisProcessHoldsIsRefusedToo() {
        Path db = dir.resolve("javanet.db");
        try (StateLock first = StateLock.acquire(db, "first")) {
            assertThatThrownBy(() -> StateLock.acquire(db, "second")).hasMessageContaining("is in use by first:");
        }
        StateLock.acquire(db, "second").close();
    }

    @Test
    void aDatabaseThatHeldNothingGoesWithItsLogAndLockFile() throws Exception {
        Path db = dir.resolve("javanet-3f2a4b5c6d7e.db");
        StateLock lock = StateLock.acquire(db, "first");
        try (Store store = Store.open(db)) {
            assertThat(store.read(Tx::holdsNothing)).as("a new database").isTrue();
            store.write(tx -> tx.putPeer("192.0.2.7"));
            assertThat(store.read(Tx::holdsNothing)).as("a swarm peer is worth keeping").isFalse();
            store.write(tx -> tx.deletePeer("192.0.2.7"));
        }
        assertThat(dir.toFile().list()).contains(db.getFileName().toString(), db.getFileName() + ".lock");
        DatabaseFiles.delete(db);
        lock.closeAndDelete();
        assertThat(dir.toFile().list()).isEmpty();
        StateLock.acquire(db, "second").close();
    }

    @Test
    void aNewLockFileIsMadeByOneOnly() throws Exception {
        Path db = dir.resolve("javanet.db");
        try (StateLock first = StateLock.tryAcquire(db, true).orElseThrow()) {
            assertThat(StateLock.tryAcquire(db, true)).isEmpty();
        }
        assertThat(StateLock.tryAcquire(db, true)).as("the file stays").isEmpty();
    }

    @Test
    void aDatabaseOpenInAnotherProcessIsSeenOpenThoughItHasNoLockFile() throws Exception {
        Path db = dir.resolve("javanet.db");
        assertThat(DatabaseFiles.openElsewhere(db)).as("no file").isFalse();
        Process legacy = HoldingProcess.start("sqlite", db.toString());
        try {
            assertThat(DatabaseFiles.openElsewhere(db)).isTrue();
        } finally {
            legacy.destroyForcibly().waitFor();
        }
        assertThat(DatabaseFiles.openElsewhere(db)).as("its -shm is left by the kill, unlocked").isFalse();
    }

    @Test
    void aDatabaseMovesWithWhatItsLogHolds() throws Exception {
        Path from = dir.resolve("javanet.db");
        Path to = dir.resolve("javanet-3f2a4b5c6d7e.db");
        Process legacy = HoldingProcess.start("sqlite", from.toString());
        legacy.destroyForcibly().waitFor();
        assertThat(dir.resolve("javanet.db-wal")).as("a crash leaves the log").exists();
        DatabaseFiles.move(from, to);
        assertThat(from).doesNotExist();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + to);
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 't'")) {
            assertThat(rs.getInt(1)).as("the table the log held").isEqualTo(1);
        }
    }
}
