package io.javanet.store;

/** The database failed; the transaction it happened in was rolled back. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
