package io.javanet.netlink;

import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;

/** The kernel refused a request: the operation, the errno, and the kernel's own explanation if any. */
public class NetlinkException extends KernelException {

    public NetlinkException(String operation, Errno errno, String extAck) {
        super(operation, errno, errno.text() + (extAck.isEmpty() ? "" : ": " + extAck));
    }
}
