package io.javanet.netlink;

import static io.javanet.netlink.Ifla.IFLA_ADDRESS;
import static io.javanet.netlink.Ifla.IFLA_IFNAME;
import static io.javanet.netlink.Ifla.IFLA_INFO_DATA;
import static io.javanet.netlink.Ifla.IFLA_INFO_KIND;
import static io.javanet.netlink.Ifla.IFLA_LINK;
import static io.javanet.netlink.Ifla.IFLA_LINKINFO;
import static io.javanet.netlink.Ifla.IFLA_MASTER;
import static io.javanet.netlink.Ifla.IFLA_MTU;
import static io.javanet.netlink.Nlmsg.NLM_F_ACK;
import static io.javanet.netlink.Nlmsg.NLM_F_CREATE;
import static io.javanet.netlink.Nlmsg.NLM_F_DUMP;
import static io.javanet.netlink.Nlmsg.NLM_F_EXCL;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.Route;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Builds the rtnetlink requests of the operations we need, and reads the kernel's answers into value records.
 * Pure functions of their arguments: the bytes are checked against golden captures without a kernel.
 */
public final class RtMessages {

    private static final int CREATE = NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;

    private RtMessages() {
    }

    /**
     * {@code ip link add NAME [mtu MTU] [address MAC] [master MASTER] [up] [link PARENT] type KIND …}: one request
     * for any kind, the links it names given by index.
     */
    public static NlRequest newLink(Link link, ToIntFunction<String> indexOf) {
        LinkAttrs attrs = link.attrs();
        IfInfoMsg header = attrs.up() ? new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, Ifla.IFF_UP, Ifla.IFF_UP) : IfInfoMsg.none();
        NlRequest request = NlRequest.of("RTM_NEWLINK " + describe(link), Rtnl.RTM_NEWLINK, CREATE, header.pack())
                .with(NlAttr.string(IFLA_IFNAME, attrs.name()));
        if (attrs.mtu() > 0) {
            request = request.with(NlAttr.u32(IFLA_MTU, attrs.mtu()));
        }
        if (attrs.mac().isPresent()) {
            request = request.with(NlAttr.bytes(IFLA_ADDRESS, attrs.mac().get().bytes()));
        }
        if (attrs.master().isPresent()) {
            request = request.with(NlAttr.u32(IFLA_MASTER, indexOf.applyAsInt(attrs.master().get())));
        }
        if (link.parentLink().isPresent()) {
            request = request.with(NlAttr.u32(IFLA_LINK, indexOf.applyAsInt(link.parentLink().get())));
        }
        NlAttr kind = NlAttr.string(IFLA_INFO_KIND, link.kind());
        NlAttr linkInfo = switch (link) {
            case Link.Bridge _, Link.WireGuard _ -> NlAttr.nested(IFLA_LINKINFO, kind);
            case Link.Veth v -> NlAttr.nested(IFLA_LINKINFO, kind, NlAttr.nested(IFLA_INFO_DATA, vethPeer(v)));
            case Link.Macvlan m -> NlAttr.nested(IFLA_LINKINFO, kind,
                    NlAttr.nested(IFLA_INFO_DATA, NlAttr.u32(Ifla.IFLA_MACVLAN_MODE, macvlanMode(m.mode()))));
            case Link.Ipvlan i -> NlAttr.nested(IFLA_LINKINFO, kind,
                    NlAttr.nested(IFLA_INFO_DATA, NlAttr.u16(Ifla.IFLA_IPVLAN_MODE, ipvlanMode(i.mode()))));
            case Link.Vlan v -> NlAttr.nested(IFLA_LINKINFO, kind,
                    NlAttr.nested(IFLA_INFO_DATA, NlAttr.u16(Ifla.IFLA_VLAN_ID, v.vlanId())));
            case Link.Vxlan x -> NlAttr.nested(IFLA_LINKINFO, kind, vxlanData(x, indexOf));
        };
        return request.with(linkInfo);
    }

    /** How an error names the request: kind and name, a veth's peer, a VXLAN's VNI, the bridge it is to be a port of. */
    private static String describe(Link link) {
        LinkAttrs attrs = link.attrs();
        String own = switch (link) {
            case Link.Veth v -> " peer " + v.peerName();
            case Link.Vxlan x -> " id " + x.vni() + x.local().map(l -> " local " + l).orElse("");
            default -> "";
        };
        return link.kind() + " " + attrs.name() + own + attrs.master().map(m -> " master " + m).orElse("")
                + (attrs.up() ? " up" : "");
    }

    /** VETH_INFO_PEER: the peer's own ifinfomsg and attributes, which take the link's MTU and the peer's MAC. */
    private static NlAttr vethPeer(Link.Veth veth) {
        List<NlAttr> peer = new ArrayList<>(List.of(NlAttr.string(IFLA_IFNAME, veth.peerName())));
        if (veth.attrs().mtu() > 0) {
            peer.add(NlAttr.u32(IFLA_MTU, veth.attrs().mtu()));
        }
        veth.peerMac().ifPresent(mac -> peer.add(NlAttr.bytes(IFLA_ADDRESS, mac.bytes())));
        return NlAttr.nested(Ifla.VETH_INFO_PEER, IfInfoMsg.none().pack(), peer.toArray(NlAttr[]::new));
    }

    private static int macvlanMode(SubMode mode) {
        return switch (mode) {
            case BRIDGE -> Ifla.MACVLAN_MODE_BRIDGE;
            case PRIVATE -> Ifla.MACVLAN_MODE_PRIVATE;
            case VEPA -> Ifla.MACVLAN_MODE_VEPA;
            case PASSTHRU -> Ifla.MACVLAN_MODE_PASSTHRU;
            default -> throw new IllegalArgumentException("not a macvlan mode: " + mode);
        };
    }

    private static int ipvlanMode(SubMode mode) {
        return switch (mode) {
            case L2 -> Ifla.IPVLAN_MODE_L2;
            case L3 -> Ifla.IPVLAN_MODE_L3;
            default -> throw new IllegalArgumentException("not an ipvlan mode: " + mode);
        };
    }

    /**
     * IFLA_INFO_DATA of a VXLAN device: its VNI, learning, its UDP port; with a local address (IPv6 link-local),
     * that address and its link, so the kernel sends through that link alone and takes this VNI only from it.
     */
    private static NlAttr vxlanData(Link.Vxlan vxlan, ToIntFunction<String> indexOf) {
        int port = vxlan.port();
        byte[] portBytes = {(byte) (port >> 8), (byte) port};
        List<NlAttr> data = new ArrayList<>(List.of(NlAttr.u32(Ifla.IFLA_VXLAN_ID, vxlan.vni()),
                NlAttr.bytes(Ifla.IFLA_VXLAN_LEARNING, new byte[] {1}),
                NlAttr.bytes(Ifla.IFLA_VXLAN_PORT, portBytes)));
        vxlan.local().ifPresent(local -> {
            data.add(NlAttr.u32(Ifla.IFLA_VXLAN_LINK, indexOf.applyAsInt(local.link())));
            data.add(NlAttr.bytes(Ifla.IFLA_VXLAN_LOCAL6, local.address().getBytes()));
        });
        return NlAttr.nested(IFLA_INFO_DATA, data.toArray(NlAttr[]::new));
    }

    /**
     * {@code bridge fdb append 00:00:00:00:00:00 dev INDEX dst PEER self permanent}: broadcast, unknown unicast
     * and multicast frames of the VXLAN device go to PEER too.
     */
    public static NlRequest appendFlood(int index, String name, IPAddress peer) {
        return flood("RTM_NEWNEIGH " + name + " flood to " + peer, Rtnl.RTM_NEWNEIGH,
                NLM_F_CREATE | Nlmsg.NLM_F_APPEND | NLM_F_ACK, index, peer);
    }

    /** {@code bridge fdb append 00:00:00:00:00:00 dev INDEX dst PEER via VIA self permanent}, PEER link-local. */
    public static NlRequest appendFlood(int index, String name, IPAddress peer, int viaIndex) {
        return flood("RTM_NEWNEIGH " + name + " flood to " + peer + " via " + viaIndex, Rtnl.RTM_NEWNEIGH,
                NLM_F_CREATE | Nlmsg.NLM_F_APPEND | NLM_F_ACK, index, peer).with(NlAttr.u32(Ndt.NDA_IFINDEX, viaIndex));
    }

    /** {@code bridge fdb del 00:00:00:00:00:00 dev INDEX dst PEER self} */
    public static NlRequest deleteFlood(int index, String name, IPAddress peer) {
        return flood("RTM_DELNEIGH " + name + " flood to " + peer, Rtnl.RTM_DELNEIGH, NLM_F_ACK, index, peer);
    }

    /** {@code bridge fdb del 00:00:00:00:00:00 dev INDEX dst PEER via VIA self} */
    public static NlRequest deleteFlood(int index, String name, IPAddress peer, int viaIndex) {
        return flood("RTM_DELNEIGH " + name + " flood to " + peer + " via " + viaIndex, Rtnl.RTM_DELNEIGH, NLM_F_ACK,
                index, peer).with(NlAttr.u32(Ndt.NDA_IFINDEX, viaIndex));
    }

    private static NlRequest flood(String operation, int type, int flags, int index, IPAddress peer) {
        byte[] ndmsg = ByteBuffer.allocate(Ndt.NDMSG_SIZE).order(ByteOrder.nativeOrder())
                .put((byte) Rtnl.AF_BRIDGE).put((byte) 0).putShort((short) 0).putInt(index)
                .putShort((short) Ndt.NUD_PERMANENT).put((byte) Ndt.NTF_SELF).put((byte) 0).array();
        return NlRequest.of(operation, type, flags, ndmsg)
                .with(NlAttr.bytes(Ndt.NDA_LLADDR, new byte[6]))
                .with(NlAttr.bytes(Ndt.NDA_DST, peer.withoutPrefixLength().getBytes()));
    }

    /** {@code bridge fdb show}: every forwarding entry of every bridge and VXLAN device. */
    public static NlRequest dumpForwarding() {
        byte[] ndmsg = ByteBuffer.allocate(Ndt.NDMSG_SIZE).order(ByteOrder.nativeOrder()).put((byte) Rtnl.AF_BRIDGE).array();
        return NlRequest.of("RTM_GETNEIGH bridge dump", Rtnl.RTM_GETNEIGH, NLM_F_DUMP, ndmsg);
    }

    /**
     * The destination of a flood entry (all-zero MAC, a remote address) of link {@code index}, from an
     * RTM_NEWNEIGH answer; empty for any other entry.
     */
    public static Optional<IPAddress> parseFlood(NlReply reply, int index) {
        Map<Integer, ByteBuffer> attrs = reply.attributes(Ndt.NDMSG_SIZE);
        ByteBuffer mac = attrs.get(Ndt.NDA_LLADDR);
        ByteBuffer dst = attrs.get(Ndt.NDA_DST);
        if (reply.payload().getInt(Ndt.NDMSG_IFINDEX) != index || mac == null || dst == null
                || !Arrays.equals(NlReply.bytes(mac), new byte[6])) {
            return Optional.empty();
        }
        return Optional.of(ip(NlReply.bytes(dst), null));
    }

    /** {@code ip link set dev INDEX up} */
    public static NlRequest setUp(int index, String name) {
        return NlRequest.of("RTM_NEWLINK " + name + " up", Rtnl.RTM_NEWLINK, NLM_F_ACK,
                new IfInfoMsg(Rtnl.AF_UNSPEC, 0, index, Ifla.IFF_UP, Ifla.IFF_UP).pack());
    }

    /** {@code ip link set dev INDEX type bridge_slave isolated on} */
    public static NlRequest setPortIsolated(int index, String name) {
        return setLink(index, "RTM_NEWLINK " + name + " bridge_slave isolated on").with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(Ifla.IFLA_INFO_SLAVE_KIND, "bridge"),
                NlAttr.nested(Ifla.IFLA_INFO_SLAVE_DATA, NlAttr.bytes(Ifla.IFLA_BRPORT_ISOLATED, new byte[] {1}))));
    }

    /** {@code ip link set dev INDEX master MASTER}; master 0 is {@code nomaster}. */
    public static NlRequest setMaster(int index, String name, int masterIndex) {
        return setLink(index, "RTM_NEWLINK " + name + " master " + masterIndex).with(NlAttr.u32(IFLA_MASTER, masterIndex));
    }

    /** {@code ip link set dev NAME alias ALIAS}, the link named rather than indexed: no look-up first. */
    public static NlRequest setAlias(String name, String alias) {
        return NlRequest.of("RTM_NEWLINK " + name + " alias " + alias, Rtnl.RTM_NEWLINK, NLM_F_ACK, IfInfoMsg.none().pack())
                .with(NlAttr.string(IFLA_IFNAME, name)).with(NlAttr.string(Ifla.IFLA_IFALIAS, alias));
    }

    /**
     * {@code sysctl net.ipv4.conf.NAME.KEY=VALUE} over rtnetlink (IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF), which
     * works where /proc/sys is read-only; {@code conf} is an IPV4_DEVCONF_* index.
     */
    public static NlRequest setIpv4DevConf(int index, String name, int conf, int value) {
        return setLink(index, "RTM_NEWLINK " + name + " ipv4 devconf " + conf + "=" + value).with(NlAttr.nested(Ifla.IFLA_AF_SPEC,
                NlAttr.nested(Rtnl.AF_INET, NlAttr.nested(Ifla.IFLA_INET_CONF, NlAttr.u32(conf, value)))));
    }

    /**
     * {@code sysctl net.ipv4.neigh.NAME.proxy_delay=MS/10} over rtnetlink (RTM_SETNEIGHTBL on arp_cache): how long
     * a proxy ARP answer to a broadcast request is held back; zero answers at once.
     */
    public static NlRequest setArpProxyDelay(int index, String name, long millis) {
        return NlRequest.of("RTM_SETNEIGHTBL " + name + " proxy_delay " + millis + "ms", Rtnl.RTM_SETNEIGHTBL, NLM_F_ACK,
                        ndtmsg(Rtnl.AF_INET))
                .with(NlAttr.string(Ndt.NDTA_NAME, Ndt.ARP_CACHE))
                .with(NlAttr.nested(Ndt.NDTA_PARMS, NlAttr.u32(Ndt.NDTPA_IFINDEX, index),
                        NlAttr.u64(Ndt.NDTPA_PROXY_DELAY, millis)));
    }

    private static byte[] ndtmsg(int family) {
        byte[] header = new byte[Ndt.NDTMSG_SIZE];
        header[0] = (byte) family;
        return header;
    }

    /** {@code ip link del NAME} */
    public static NlRequest deleteLink(String name) {
        return NlRequest.of("RTM_DELLINK " + name, Rtnl.RTM_DELLINK, NLM_F_ACK, IfInfoMsg.none().pack())
                .with(NlAttr.string(IFLA_IFNAME, name));
    }

    /** {@code ip link show NAME} */
    public static NlRequest getLink(String name) {
        return NlRequest.of("RTM_GETLINK " + name, Rtnl.RTM_GETLINK, 0, IfInfoMsg.none().pack())
                .with(NlAttr.string(IFLA_IFNAME, name));
    }

    /** {@code ip link show} of the link with index INDEX. */
    public static NlRequest getLink(int index) {
        return NlRequest.of("RTM_GETLINK index " + index, Rtnl.RTM_GETLINK, 0,
                new IfInfoMsg(Rtnl.AF_UNSPEC, 0, index, 0, 0).pack());
    }

    /** {@code ip link show} */
    public static NlRequest dumpLinks() {
        return NlRequest.of("RTM_GETLINK dump", Rtnl.RTM_GETLINK, NLM_F_DUMP, IfInfoMsg.none().pack());
    }

    /** {@code ip address add ADDRESS/PREFIX dev INDEX} */
    public static NlRequest newAddress(int index, IPAddress address) {
        return address("RTM_NEWADDR", Rtnl.RTM_NEWADDR, CREATE, index, address);
    }

    /** {@code ip address show} */
    public static NlRequest dumpAddresses() {
        return NlRequest.of("RTM_GETADDR dump", Rtnl.RTM_GETADDR, NLM_F_DUMP,
                new IfAddrMsg(Rtnl.AF_UNSPEC, 0, 0, 0, 0).pack());
    }

    /** {@code ip route add ROUTE}: scope link without a gateway, universe with one; protocol static. */
    public static NlRequest newRoute(Route route) {
        return route("RTM_NEWROUTE", Rtnl.RTM_NEWROUTE, CREATE, route, Rtnl.RTPROT_STATIC);
    }

    /** {@code ip route show table all} for one family. */
    public static NlRequest dumpRoutes(int family) {
        return NlRequest.of("RTM_GETROUTE dump", Rtnl.RTM_GETROUTE, NLM_F_DUMP, new RtMsg(family, 0, 0, 0, 0, 0, 0, 0, 0).pack());
    }

    /** Reads an RTM_NEWLINK answer. */
    public static LinkInfo parseLink(NlReply reply) {
        IfInfoMsg header = IfInfoMsg.parse(reply.payload());
        Map<Integer, ByteBuffer> attrs = reply.attributes(IfInfoMsg.SIZE);
        String kind = "";
        if (attrs.containsKey(IFLA_LINKINFO)) {
            ByteBuffer k = NlReply.attributes(attrs.get(IFLA_LINKINFO)).get(IFLA_INFO_KIND);
            kind = k == null ? "" : NlReply.string(k);
        }
        Optional<MacAddress> mac = Optional.empty();
        if (attrs.containsKey(IFLA_ADDRESS) && attrs.get(IFLA_ADDRESS).remaining() == 6) {
            try {
                mac = Optional.of(new MacAddress(NlReply.bytes(attrs.get(IFLA_ADDRESS))));
            } catch (IllegalArgumentException e) {
                mac = Optional.empty();
            }
        }
        return new LinkInfo(header.index(), NlReply.string(attrs.get(IFLA_IFNAME)), kind,
                attrs.containsKey(IFLA_MTU) ? attrs.get(IFLA_MTU).getInt(0) : 0, mac,
                attrs.containsKey(IFLA_MASTER) ? attrs.get(IFLA_MASTER).getInt(0) : 0,
                (header.flags() & Ifla.IFF_UP) != 0,
                attrs.containsKey(Ifla.IFLA_IFALIAS) ? NlReply.string(attrs.get(Ifla.IFLA_IFALIAS)) : "");
    }

    /** Reads an RTM_NEWADDR answer. */
    public static AddressInfo parseAddress(NlReply reply) {
        IfAddrMsg header = IfAddrMsg.parse(reply.payload());
        Map<Integer, ByteBuffer> attrs = reply.attributes(IfAddrMsg.SIZE);
        ByteBuffer local = attrs.getOrDefault(Ifa.IFA_LOCAL, attrs.get(Ifa.IFA_ADDRESS));
        return new AddressInfo(header.index(), ip(NlReply.bytes(local), header.prefixLength()));
    }

    /** Reads an RTM_NEWROUTE answer. */
    public static Route parseRoute(NlReply reply) {
        RtMsg header = RtMsg.parse(reply.payload());
        Map<Integer, ByteBuffer> attrs = reply.attributes(RtMsg.SIZE);
        boolean v4 = header.family() == Rtnl.AF_INET;
        byte[] dst = attrs.containsKey(Rtnl.RTA_DST) ? NlReply.bytes(attrs.get(Rtnl.RTA_DST)) : new byte[v4 ? 4 : 16];
        Optional<IPAddress> gateway = Optional.ofNullable(attrs.get(Rtnl.RTA_GATEWAY))
                .map(g -> ip(NlReply.bytes(g), null));
        int table = attrs.containsKey(Rtnl.RTA_TABLE) ? attrs.get(Rtnl.RTA_TABLE).getInt(0) : header.table();
        int oif = attrs.containsKey(Rtnl.RTA_OIF) ? attrs.get(Rtnl.RTA_OIF).getInt(0) : 0;
        return new Route(ip(dst, header.dstLength()).toPrefixBlock(), gateway, oif, table);
    }

    private static NlRequest setLink(int index, String operation) {
        return NlRequest.of(operation, Rtnl.RTM_NEWLINK, NLM_F_ACK, new IfInfoMsg(Rtnl.AF_UNSPEC, 0, index, 0, 0).pack());
    }

    private static NlRequest address(String verb, int type, int flags, int index, IPAddress address) {
        int family = address.isIPv4() ? Rtnl.AF_INET : Rtnl.AF_INET6;
        byte[] bytes = address.withoutPrefixLength().getBytes();
        // An IPv6 address skips duplicate address detection, so a gateway answers at once rather than after DAD.
        int addressFlags = address.isIPv6() ? Ifa.IFA_F_NODAD : 0;
        return NlRequest.of(verb + " " + address + " dev " + index, type, flags,
                        new IfAddrMsg(family, address.getNetworkPrefixLength(), addressFlags, Rtnl.RT_SCOPE_UNIVERSE, index).pack())
                .with(NlAttr.bytes(Ifa.IFA_LOCAL, bytes))
                .with(NlAttr.bytes(Ifa.IFA_ADDRESS, bytes));
    }

    private static NlRequest route(String verb, int type, int flags, Route route, int protocol) {
        IPAddress dst = route.destination();
        int family = dst.isIPv4() ? Rtnl.AF_INET : Rtnl.AF_INET6;
        int scope = route.gateway().isPresent() ? Rtnl.RT_SCOPE_UNIVERSE : Rtnl.RT_SCOPE_LINK;
        int prefix = dst.getNetworkPrefixLength() == null ? dst.getBitCount() : dst.getNetworkPrefixLength();
        NlRequest request = NlRequest.of(verb + " " + dst + route.gateway().map(g -> " via " + g).orElse("")
                        + (route.linkIndex() > 0 ? " dev " + route.linkIndex() : ""), type, flags,
                new RtMsg(family, prefix, 0, 0, route.table() < 256 ? route.table() : 0, protocol, scope,
                        Rtnl.RTN_UNICAST, 0).pack());
        if (prefix > 0) {
            request = request.with(NlAttr.bytes(Rtnl.RTA_DST, dst.getLower().withoutPrefixLength().getBytes()));
        }
        if (route.gateway().isPresent()) {
            request = request.with(NlAttr.bytes(Rtnl.RTA_GATEWAY, route.gateway().get().withoutPrefixLength().getBytes()));
        }
        if (route.linkIndex() > 0) {
            request = request.with(NlAttr.u32(Rtnl.RTA_OIF, route.linkIndex()));
        }
        if (route.table() >= 256) {
            request = request.with(NlAttr.u32(Rtnl.RTA_TABLE, route.table()));
        }
        return request;
    }

    private static IPAddress ip(byte[] bytes, Integer prefix) {
        return bytes.length == 4 ? new IPv4Address(bytes, prefix) : new IPv6Address(bytes, prefix);
    }
}
