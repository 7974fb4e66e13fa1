package io.javanet.store;

import io.javanet.failure.Failure;
import io.javanet.failure.FailureKind;

/** The database failed; the transaction it happened in was rolled back. */
public class StoreException extends RuntimeException implements Failure {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.STORE;
    }
}
