package io.javanet.sys;

import com.sun.jna.LastErrorException;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;

/** A failed system call as the kernel layer reports it: the call, its errno, and the errno's text. */
final class Syscalls {

    private Syscalls() {
    }

    static KernelException failed(String operation, LastErrorException e) {
        Errno errno = new Errno(e.getErrorCode());
        return new KernelException(operation, errno, errno.text());
    }
}
