package io.javanet.netlink;

/** include/uapi/linux/netlink.h */
public final class Nlmsg {

    private Nlmsg() {
    }

    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_CAPPED = 0x100;
    /** On a new-request, the same bit as NLM_F_CAPPED on an ack: change what is there. */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_TYPE_MASK = 0x3fff;

    public static final int NLMSGERR_ATTR_MSG = 1;

    /** NLMSG_ALIGN / RTA_ALIGN: lengths are padded to 4 bytes. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }
}
