package io.javanet.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** What a database error means for the user: the file or directory it concerns, and what to do about it. */
final class StoreErrors {

    static final int CORRUPT = SQLiteErrorCode.SQLITE_CORRUPT.code;

    private StoreErrors() {
    }

    /** An error opening the database, before javanet serves anything. */
    static String atOpen(Path file, SQLException e) {
        int code = e.getErrorCode();
        if (code == CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return "state database " + file + " is not one javanet can use (" + reason(e) + "); javanet leaves it as it"
                    + " is and does not start: move it away to start with no state, or put a backup back";
        }
        return during(file, "open", e);
    }

    /** An error reading or writing, as the call that met it reports it; the call changed nothing. */
    static String during(Path file, String what, SQLException e) {
        Path dir = file.toAbsolutePath().getParent();
        int code = e.getErrorCode();
        if (code == SQLiteErrorCode.SQLITE_FULL.code) {
            return "state directory " + dir + " is full (" + reason(e) + "): nothing was changed; javanet works again"
                    + " once there is space";
        }
        if (sharedMemoryFailed(e, file)) {
            return "state directory " + dir + " is on a filesystem where SQLite's write-ahead log cannot work (" + reason(e)
                    + "; it needs shared memory, which 9p and some network filesystems lack): put the state directory"
                    + " on a local filesystem (JAVANET_STATE_DIR, or the managed plugin's state mount)";
        }
        if (code == SQLiteErrorCode.SQLITE_READONLY.code || !Files.isWritable(dir)) {
            return "state directory " + dir + " is read-only (" + reason(e) + "): nothing was changed; javanet works"
                    + " again once it is writable";
        }
        return "state database " + file + ": " + what + " failed: " + reason(e);
    }

    /**
     * SQLite's own codes for the WAL's shared memory, or "read-only" said of a file and directory that are
     * writable: what is not is the shared-memory file beside them.
     */
    private static boolean sharedMemoryFailed(SQLException e, Path file) {
        if (!(e instanceof SQLiteException s)) {
            return false;
        }
        if (e.getErrorCode() == SQLiteErrorCode.SQLITE_READONLY.code && Files.isWritable(file)
                && Files.isWritable(file.toAbsolutePath().getParent())) {
            return true;
        }
        return switch (s.getResultCode()) {
            case SQLITE_IOERR_SHMOPEN, SQLITE_IOERR_SHMSIZE, SQLITE_IOERR_SHMLOCK, SQLITE_IOERR_SHMMAP,
                 SQLITE_READONLY_CANTINIT -> true;
            default -> false;
        };
    }

    private static String reason(SQLException e) {
        return e.getMessage();
    }
}
