package io.javanet.netlink;

/** include/uapi/linux/if_link.h, include/uapi/linux/veth.h and IFF_* of include/uapi/linux/if.h */
public final class Ifla {

    private Ifla() {
    }

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_IFALIAS = 20;
    public static final int IFLA_AF_SPEC = 26;
    public static final int IFLA_NET_NS_FD = 28;

    /** include/uapi/linux/if_link.h IFLA_INET_*, and IPV4_DEVCONF_* of include/uapi/linux/ip.h */
    public static final int IFLA_INET_CONF = 1;
    public static final int IPV4_DEVCONF_PROXY_ARP = 3;
    public static final int IPV4_DEVCONF_ROUTE_LOCALNET = 26;

    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_INFO_SLAVE_KIND = 4;
    public static final int IFLA_INFO_SLAVE_DATA = 5;

    /** include/uapi/linux/if_link.h IFLA_BRPORT_*: a bridge port's own attributes. */
    public static final int IFLA_BRPORT_ISOLATED = 33;

    public static final int VETH_INFO_PEER = 1;

    public static final int IFLA_MACVLAN_MODE = 1;
    public static final int MACVLAN_MODE_PRIVATE = 1;
    public static final int MACVLAN_MODE_VEPA = 2;
    public static final int MACVLAN_MODE_BRIDGE = 4;
    public static final int MACVLAN_MODE_PASSTHRU = 8;

    public static final int IFLA_IPVLAN_MODE = 1;
    public static final int IPVLAN_MODE_L2 = 0;
    public static final int IPVLAN_MODE_L3 = 1;

    public static final int IFLA_VLAN_ID = 1;

    public static final int IFLA_VXLAN_ID = 1;
    public static final int IFLA_VXLAN_LINK = 3;
    public static final int IFLA_VXLAN_LEARNING = 7;
    /** UDP destination port, in network byte order. */
    public static final int IFLA_VXLAN_PORT = 15;
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    public static final int IFF_UP = 0x1;

    /** ifinfomsg: family, pad, type, index, flags, change. */
    public static final int IFINFOMSG_SIZE = 16;
}
