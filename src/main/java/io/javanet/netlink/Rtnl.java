package io.javanet.netlink;

/** include/uapi/linux/rtnetlink.h, and AF_* from include/linux/socket.h */
public final class Rtnl {

    private Rtnl() {
    }

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_BRIDGE = 7;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_GETQDISC = 38;
    public static final int RTM_NEWTFILTER = 44;
    public static final int RTM_DELTFILTER = 45;
    public static final int RTM_GETTFILTER = 46;
    public static final int RTM_SETNEIGHTBL = 67;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_TABLE = 15;

    public static final int RTPROT_STATIC = 4;

    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;

    public static final int RTN_UNICAST = 1;
}
