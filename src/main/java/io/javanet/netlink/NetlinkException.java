package io.javanet.netlink;

import io.javanet.kernel.KernelException;
import io.javanet.sys.Errno;

/** The kernel refused a request: the operation, the errno by name, and the kernel's own explanation if any. */
public class NetlinkException extends KernelException {

    private final int errno;

    public NetlinkException(String operation, int errno, String extAck) {
        super(operation, Errno.name(errno), Errno.text(errno) + (extAck.isEmpty() ? "" : ": " + extAck));
        this.errno = errno;
    }

    public int errnoValue() {
        return errno;
    }
}
