package io.javanet.netlink;

/** Neighbour table attributes: NDTA_* and NDTPA_* of include/uapi/linux/neighbour.h. */
public final class Ndt {

    private Ndt() {
    }

    /** struct ndtmsg: ndtm_family, then three bytes of padding. */
    public static final int NDTMSG_SIZE = 4;

    public static final int NDTA_NAME = 1;
    public static final int NDTA_PARMS = 6;

    public static final int NDTPA_IFINDEX = 1;
    public static final int NDTPA_PROXY_DELAY = 13;

    /** The IPv4 neighbour table's name, as the kernel's arp_tbl calls itself. */
    public static final String ARP_CACHE = "arp_cache";
}
