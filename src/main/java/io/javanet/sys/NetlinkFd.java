package io.javanet.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A netlink socket's file descriptor, bound in the calling thread's network namespace, with the libc calls on
 * it. Receives time out after 10 s rather than hang. A failing call is a {@link KernelException} naming the call
 * and its errno.
 */
public final class NetlinkFd implements AutoCloseable {

    private static final LibC C = LibC.INSTANCE;

    private final int fd;
    private final int port;

    private NetlinkFd(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /** {@code socket(AF_NETLINK, SOCK_RAW, protocol)}, each {@code {level, option}} set to 1, then bound. */
    public static NetlinkFd open(int protocol, int[]... enabledOptions) {
        int fd;
        try {
            fd = C.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw Syscalls.failed("socket(AF_NETLINK, " + protocol + ")", e);
        }
        try {
            for (int[] option : enabledOptions) {
                C.setsockopt(fd, option[0], option[1], new int[] {1}, 4);
            }
            C.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, new long[] {10, 0}, 16);
            LibC.SockaddrNl address = new LibC.SockaddrNl();
            C.bind(fd, address, address.size());
            LibC.SockaddrNl bound = new LibC.SockaddrNl();
            C.getsockname(fd, bound, new IntByReference(bound.size()));
            return new NetlinkFd(fd, bound.nl_pid);
        } catch (LastErrorException e) {
            C.close(fd);
            throw Syscalls.failed("bind(AF_NETLINK)", e);
        }
    }

    /** The port the kernel gave the socket: the pid its replies carry. */
    public int port() {
        return port;
    }

    public void send(String operation, byte[] bytes) {
        try {
            C.send(fd, bytes, bytes.length, 0);
        } catch (LastErrorException e) {
            throw Syscalls.failed(operation + ": send", e);
        }
    }

    /** Receives one datagram into {@code buffer}; returns its whole length, larger than the buffer if truncated. */
    public long receive(String operation, byte[] buffer) {
        try {
            return C.recv(fd, buffer, buffer.length, LibC.MSG_TRUNC);
        } catch (LastErrorException e) {
            throw Syscalls.failed(operation + ": no answer from the kernel", e);
        }
    }

    /**
     * The index of the link named {@code name} in the socket's namespace: {@code ioctl(SIOCGIFINDEX)}, which
     * the kernel answers from its name table under RCU. RTM_GETLINK takes the rtnl lock and so waits behind
     * every link change in progress, such as dockerd moving interfaces into containers during a burst.
     */
    public int linkIndex(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= LibC.IFNAMSIZ) {
            throw new KernelException("SIOCGIFINDEX " + name, Errno.ENODEV, "no link named " + name);
        }
        byte[] ifreq = new byte[LibC.IFREQ_SIZE];
        System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
        try {
            C.ioctl(fd, LibC.SIOCGIFINDEX, ifreq);
        } catch (LastErrorException e) {
            throw Syscalls.failed("SIOCGIFINDEX " + name, e);
        }
        return ByteBuffer.wrap(ifreq, LibC.IFNAMSIZ, 4).order(ByteOrder.nativeOrder()).getInt();
    }

    @Override
    public void close() {
        C.close(fd);
    }
}
