package io.javanet.netlink;

import static io.javanet.netlink.Ifla.IFLA_ADDRESS;
import static io.javanet.netlink.Ifla.IFLA_IFNAME;
import static io.javanet.netlink.Ifla.IFLA_INFO_DATA;
import static io.javanet.netlink.Ifla.IFLA_INFO_KIND;
import static io.javanet.netlink.Ifla.IFLA_LINK;
import static io.javanet.netlink.Ifla.IFLA_LINKINFO;
import static io.javanet.netlink.Ifla.IFLA_MASTER;
import static io.javanet.netlink.Ifla.IFLA_MTU;
import static io.javanet.netlink.Ifla.IFLA_NET_NS_FD;
import static io.javanet.netlink.Ifla.IFLA_NET_NS_PID;
import static io.javanet.netlink.Nlmsg.NLM_F_ACK;
import static io.javanet.netlink.Nlmsg.NLM_F_CREATE;
import static io.javanet.netlink.Nlmsg.NLM_F_DUMP;
import static io.javanet.netlink.Nlmsg.NLM_F_EXCL;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.Route;
import io.javanet.net.MacAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the rtnetlink requests of the operations we need, and reads the kernel's answers into value records.
 * Pure functions of their arguments: the bytes are checked against golden captures without a kernel.
 */
public final class RtMessages {

    private static final int CREATE = NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;

    private RtMessages() {
    }

    /** {@code ip link add NAME mtu MTU type bridge} */
    public static NlRequest newBridge(String name, int mtu) {
        return newLink("bridge " + name, name, mtu).with(NlAttr.nested(IFLA_LINKINFO, NlAttr.string(IFLA_INFO_KIND, "bridge")));
    }

    /** {@code ip link add NAME mtu MTU type dummy} */
    public static NlRequest newDummy(String name, int mtu) {
        return newLink("dummy " + name, name, mtu).with(NlAttr.nested(IFLA_LINKINFO, NlAttr.string(IFLA_INFO_KIND, "dummy")));
    }

    /**
     * {@code ip link add NAME mtu MTU type veth peer name PEER mtu MTU [address MAC] [netns NSFD]}: the peer may
     * be created straight in another namespace.
     */
    public static NlRequest newVeth(String name, String peer, int mtu, Optional<MacAddress> peerMac, OptionalInt peerNsFd) {
        return veth(newLink("veth " + name + " peer " + peer, name, mtu), peer, mtu, peerMac, peerNsFd);
    }

    /**
     * {@code ip link add NAME mtu MTU master MASTER up type veth peer name PEER mtu MTU [address MAC]}: the
     * kernel makes it a port of the bridge and up, or makes nothing.
     */
    public static NlRequest newVethOnBridge(String name, String peer, int mtu, Optional<MacAddress> peerMac, int masterIndex) {
        NlRequest link = NlRequest.of("RTM_NEWLINK veth " + name + " peer " + peer + " master " + masterIndex + " up",
                        Rtnl.RTM_NEWLINK, CREATE, new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, Ifla.IFF_UP, Ifla.IFF_UP).pack())
                .with(NlAttr.string(IFLA_IFNAME, name)).with(NlAttr.u32(IFLA_MTU, mtu)).with(NlAttr.u32(IFLA_MASTER, masterIndex));
        return veth(link, peer, mtu, peerMac, OptionalInt.empty());
    }

    private static NlRequest veth(NlRequest link, String peer, int mtu, Optional<MacAddress> peerMac, OptionalInt peerNsFd) {
        NlAttr[] peerAttrs = {NlAttr.string(IFLA_IFNAME, peer), NlAttr.u32(IFLA_MTU, mtu)};
        if (peerMac.isPresent()) {
            peerAttrs = append(peerAttrs, NlAttr.bytes(IFLA_ADDRESS, peerMac.get().bytes()));
        }
        if (peerNsFd.isPresent()) {
            peerAttrs = append(peerAttrs, NlAttr.u32(IFLA_NET_NS_FD, peerNsFd.getAsInt()));
        }
        return link.with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "veth"),
                NlAttr.nested(IFLA_INFO_DATA, NlAttr.nested(Ifla.VETH_INFO_PEER, IfInfoMsg.none().pack(), peerAttrs))));
    }

    /** {@code ip link add NAME link PARENT type macvlan mode MODE} with a MACVLAN_MODE_* value. */
    public static NlRequest newMacvlan(String name, int parentIndex, int mode) {
        return newLink("macvlan " + name, name, 0).with(NlAttr.u32(IFLA_LINK, parentIndex)).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "macvlan"),
                NlAttr.nested(IFLA_INFO_DATA, NlAttr.u32(Ifla.IFLA_MACVLAN_MODE, mode))));
    }

    /** {@code ip link add NAME link PARENT type ipvlan mode MODE} with an IPVLAN_MODE_* value. */
    public static NlRequest newIpvlan(String name, int parentIndex, int mode) {
        return newLink("ipvlan " + name, name, 0).with(NlAttr.u32(IFLA_LINK, parentIndex)).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "ipvlan"),
                NlAttr.nested(IFLA_INFO_DATA, NlAttr.u16(Ifla.IFLA_IPVLAN_MODE, mode))));
    }

    /** {@code ip link add NAME link PARENT type vlan id ID}: an 802.1q sub-interface. */
    public static NlRequest newVlan(String name, int parentIndex, int vlanId) {
        return newLink("vlan " + name, name, 0).with(NlAttr.u32(IFLA_LINK, parentIndex)).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "vlan"),
                NlAttr.nested(IFLA_INFO_DATA, NlAttr.u16(Ifla.IFLA_VLAN_ID, vlanId))));
    }

    /**
     * {@code ip link add NAME mtu MTU type vxlan id VNI dstport PORT learning}: a VXLAN device with no default
     * remote; its remotes are flood entries of its forwarding database.
     */
    public static NlRequest newVxlan(String name, int vni, int port, int mtu) {
        return newLink("vxlan " + name + " id " + vni, name, mtu).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "vxlan"), vxlanData(vni, port)));
    }

    /**
     * {@code ip link add NAME mtu MTU type vxlan id VNI dstport PORT local LOCAL dev LINK learning}, LOCAL an IPv6
     * link-local address of LINK: the kernel sends through LINK alone, and takes in this VNI only from LINK.
     */
    public static NlRequest newVxlan(String name, int vni, int port, int mtu, int linkIndex, IPAddress local) {
        return newLink("vxlan " + name + " id " + vni + " local " + local, name, mtu).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "vxlan"), vxlanData(vni, port,
                        NlAttr.u32(Ifla.IFLA_VXLAN_LINK, linkIndex),
                        NlAttr.bytes(Ifla.IFLA_VXLAN_LOCAL6, local.withoutPrefixLength().getBytes()))));
    }

    private static NlAttr vxlanData(int vni, int port, NlAttr... more) {
        byte[] portBytes = {(byte) (port >> 8), (byte) port};
        List<NlAttr> data = new ArrayList<>(List.of(NlAttr.u32(Ifla.IFLA_VXLAN_ID, vni),
                NlAttr.bytes(Ifla.IFLA_VXLAN_LEARNING, new byte[] {1}),
                NlAttr.bytes(Ifla.IFLA_VXLAN_PORT, portBytes)));
        data.addAll(List.of(more));
        return NlAttr.nested(IFLA_INFO_DATA, data.toArray(NlAttr[]::new));
    }

    /** {@code ip link add NAME mtu MTU type wireguard} */
    public static NlRequest newWireGuard(String name, int mtu) {
        return newLink("wireguard " + name, name, mtu).with(NlAttr.nested(IFLA_LINKINFO,
                NlAttr.string(IFLA_INFO_KIND, "wireguard")));
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

    /** {@code ip link set dev INDEX up|down} */
    public static NlRequest setUp(int index, String name, boolean up) {
        return NlRequest.of("RTM_NEWLINK " + name + (up ? " up" : " down"), Rtnl.RTM_NEWLINK, NLM_F_ACK,
                new IfInfoMsg(Rtnl.AF_UNSPEC, 0, index, up ? Ifla.IFF_UP : 0, Ifla.IFF_UP).pack());
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

    /** {@code ip link set dev INDEX mtu MTU} */
    public static NlRequest setMtu(int index, String name, int mtu) {
        return setLink(index, "RTM_NEWLINK " + name + " mtu " + mtu).with(NlAttr.u32(IFLA_MTU, mtu));
    }

    /** {@code ip link set dev INDEX address MAC} */
    public static NlRequest setMac(int index, String name, MacAddress mac) {
        return setLink(index, "RTM_NEWLINK " + name + " address " + mac).with(NlAttr.bytes(IFLA_ADDRESS, mac.bytes()));
    }

    /** {@code ip link set dev INDEX name NEWNAME} */
    public static NlRequest rename(int index, String name, String newName) {
        return setLink(index, "RTM_NEWLINK " + name + " name " + newName).with(NlAttr.string(IFLA_IFNAME, newName));
    }

    /** {@code ip link set dev INDEX netns NSFD} */
    public static NlRequest moveToNamespaceFd(int index, String name, int nsFd) {
        return setLink(index, "RTM_NEWLINK " + name + " netns fd " + nsFd).with(NlAttr.u32(IFLA_NET_NS_FD, nsFd));
    }

    /** {@code ip link set dev INDEX netns PID} */
    public static NlRequest moveToNamespacePid(int index, String name, int pid) {
        return setLink(index, "RTM_NEWLINK " + name + " netns " + pid).with(NlAttr.u32(IFLA_NET_NS_PID, pid));
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

    /** {@code ip address del ADDRESS/PREFIX dev INDEX} */
    public static NlRequest deleteAddress(int index, IPAddress address) {
        return address("RTM_DELADDR", Rtnl.RTM_DELADDR, NLM_F_ACK, index, address);
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

    /** {@code ip route del ROUTE} */
    public static NlRequest deleteRoute(Route route) {
        return route("RTM_DELROUTE", Rtnl.RTM_DELROUTE, NLM_F_ACK, route, 0);
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

    private static NlRequest newLink(String what, String name, int mtu) {
        NlRequest request = NlRequest.of("RTM_NEWLINK " + what, Rtnl.RTM_NEWLINK, CREATE, IfInfoMsg.none().pack())
                .with(NlAttr.string(IFLA_IFNAME, name));
        return mtu > 0 ? request.with(NlAttr.u32(IFLA_MTU, mtu)) : request;
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

    private static NlAttr[] append(NlAttr[] attrs, NlAttr more) {
        NlAttr[] longer = java.util.Arrays.copyOf(attrs, attrs.length + 1);
        longer[attrs.length] = more;
        return longer;
    }
}
