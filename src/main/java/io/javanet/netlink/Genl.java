package io.javanet.netlink;

/** include/uapi/linux/genetlink.h, and the WireGuard family's include/uapi/linux/wireguard.h */
public final class Genl {

    private Genl() {
    }

    public static final int NETLINK_GENERIC = 16;

    /** struct genlmsghdr: cmd, version, reserved. */
    public static final int GENL_HDRLEN = 4;

    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;

    public static final String WG_GENL_NAME = "wireguard";
    public static final int WG_GENL_VERSION = 1;
    public static final int WG_CMD_SET_DEVICE = 1;

    public static final int WGDEVICE_A_IFNAME = 2;
    public static final int WGDEVICE_A_PRIVATE_KEY = 3;
    public static final int WGDEVICE_A_FLAGS = 5;
    public static final int WGDEVICE_A_LISTEN_PORT = 6;
    public static final int WGDEVICE_A_PEERS = 8;
    public static final int WGDEVICE_F_REPLACE_PEERS = 1;

    public static final int WGPEER_A_PUBLIC_KEY = 1;
    public static final int WGPEER_A_FLAGS = 3;
    public static final int WGPEER_A_ENDPOINT = 4;
    public static final int WGPEER_A_ALLOWEDIPS = 9;
    public static final int WGPEER_F_REMOVE_ME = 1;
    public static final int WGPEER_F_REPLACE_ALLOWEDIPS = 2;

    public static final int WGALLOWEDIP_A_FAMILY = 1;
    public static final int WGALLOWEDIP_A_IPADDR = 2;
    public static final int WGALLOWEDIP_A_CIDR_MASK = 3;
}
