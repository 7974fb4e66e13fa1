package io.javanet.kernel;

import io.javanet.failure.Failure;
import io.javanet.failure.FailureKind;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A kernel operation failed. Carries the errno as a value, so that callers can treat some failures as success,
 * and the operation and object, so that the message says what failed.
 */
public class KernelException extends RuntimeException implements Failure {

    private final Errno errno;

    public KernelException(String operation, Errno errno, String reason) {
        super(operation + ": " + errno.name() + " (" + reason + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    public boolean isNotFound() {
        return errno.equals(Errno.ENODEV) || errno.equals(Errno.ENOENT) || errno.equals(Errno.ESRCH);
    }

    /** Runs {@code change}, which may find its object already gone: a removal asked twice is done. */
    public static void ignoringNotFound(Runnable change) {
        ignoring(change, KernelException::isNotFound);
    }

    /** Runs {@code change}, which may find its object already there: an addition asked twice is done. */
    public static void ignoringExisting(Runnable change) {
        ignoring(change, KernelException::isExists);
    }

    private static void ignoring(Runnable change, Predicate<KernelException> done) {
        try {
            change.run();
        } catch (KernelException e) {
            if (!done.test(e)) {
                throw e;
            }
        }
    }

    public boolean isExists() {
        return errno.equals(Errno.EEXIST);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.KERNEL;
    }

    @Override
    public Map<String, String> labels() {
        return Map.of("errno", errno.name());
    }
}
