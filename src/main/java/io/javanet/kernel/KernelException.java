package io.javanet.kernel;

/**
 * A kernel operation failed. Carries the errno name ({@code EEXIST}, {@code ENODEV}, …) so that callers can
 * treat some failures as success, and the operation and object, so that the message says what failed.
 */
public class KernelException extends RuntimeException {

    private final String errno;

    public KernelException(String operation, String errno, String reason) {
        super(operation + ": " + errno + " (" + reason + ")");
        this.errno = errno;
    }

    public String errno() {
        return errno;
    }

    public boolean isNotFound() {
        return "ENODEV".equals(errno) || "ENOENT".equals(errno) || "ESRCH".equals(errno);
    }

    public boolean isExists() {
        return "EEXIST".equals(errno);
    }
}
