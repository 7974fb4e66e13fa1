package io.javanet.netlink;

/** Neighbours and neighbour tables: ndmsg, NDA_*, NUD_*, NTF_*, NDTA_* and NDTPA_* of include/uapi/linux/neighbour.h. */
public final class Ndt {

    private Ndt() {
    }

    /** struct ndmsg: family, 3 bytes of padding, ifindex, state (u16), flags, type. */
    public static final int NDMSG_SIZE = 12;
    /** Where ndm_ifindex sits in struct ndmsg. */
    public static final int NDMSG_IFINDEX = 4;
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NDA_IFINDEX = 8;
    public static final int NUD_PERMANENT = 0x80;
    /** The entry is the device's own (a VXLAN's remote), not the bridge's. */
    public static final int NTF_SELF = 0x02;

    /** struct ndtmsg: ndtm_family, then three bytes of padding. */
    public static final int NDTMSG_SIZE = 4;

    public static final int NDTA_NAME = 1;
    public static final int NDTA_PARMS = 6;

    public static final int NDTPA_IFINDEX = 1;
    public static final int NDTPA_PROXY_DELAY = 13;

    /** The IPv4 neighbour table's name, as the kernel's arp_tbl calls itself. */
    public static final String ARP_CACHE = "arp_cache";
}
