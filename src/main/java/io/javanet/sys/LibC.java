package io.javanet.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

/** The few libc calls netlink needs, bound with JNA. Each throws LastErrorException with errno on failure. */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_RCVTIMEO = 20;
    int MSG_TRUNC = 0x20;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;
    long SIOCGIFINDEX = 0x8933;
    int IFNAMSIZ = 16;
    /** sizeof(struct ifreq) on LP64: the name, then a union of at most 24 bytes whose ifr_ifindex is an int. */
    int IFREQ_SIZE = 40;

    /** struct sockaddr_nl of include/uapi/linux/netlink.h. */
    @Structure.FieldOrder({"nl_family", "nl_pad", "nl_pid", "nl_groups"})
    class SockaddrNl extends Structure {
        public short nl_family = AF_NETLINK;
        public short nl_pad;
        public int nl_pid;
        public int nl_groups;
    }

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, SockaddrNl address, int length) throws LastErrorException;

    int getsockname(int fd, SockaddrNl address, IntByReference length) throws LastErrorException;

    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int ioctl(int fd, long request, byte[] ifreq) throws LastErrorException;
}
