package io.javanet.netlink;

/** include/uapi/linux/if_addr.h */
public final class Ifa {

    private Ifa() {
    }

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;

    public static final int IFA_F_NODAD = 0x02;

    /** ifaddrmsg: family, prefixlen, flags, scope, index. */
    public static final int IFADDRMSG_SIZE = 8;
}
