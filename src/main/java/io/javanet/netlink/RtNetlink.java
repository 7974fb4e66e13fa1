package io.javanet.netlink;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.LinkAddress;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.Links;
import io.javanet.kernel.Route;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.Sysctls;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import io.javanet.sys.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Links, addresses and routes of one network namespace, over rtnetlink; shaped like iproute2. Opened for the
 * host's namespace or for one named by path, after which every call acts there whatever thread makes it.
 * Thread-safe: requests on the one socket are serialised.
 */
public final class RtNetlink implements Links, Addresses, RouteTable, Sysctls, AutoCloseable {

    private final NetlinkSocket socket;
    private final Optional<Path> namespace;
    private final String owner;

    private RtNetlink(NetlinkSocket socket, Optional<Path> namespace, String owner) {
        this.socket = socket;
        this.namespace = namespace;
        this.owner = owner;
    }

    /**
     * For the namespace javanet runs in. Bridges and veths it creates get the alias {@code owner}, by which
     * {@link #owned()} finds them again after a crash.
     */
    public static RtNetlink open(String owner) {
        return new RtNetlink(NetlinkSocket.open(), Optional.empty(), owner);
    }

    /** For the namespace at {@code path}, e.g. a container's {@code /var/run/docker/netns/…}. */
    public static RtNetlink openIn(Path path, String owner) {
        return new RtNetlink(Netns.call(path, NetlinkSocket::open), Optional.of(path), owner);
    }

    @Override
    public void close() {
        socket.close();
    }

    /** Requests this handle has sent to the kernel. */
    public long roundTrips() {
        return socket.roundTrips();
    }

    // Links

    @Override
    public void addBridge(String name, int mtu) {
        socket.execute(RtMessages.newBridge(name, mtu));
        markOwned(name);
    }

    @Override
    public void addVeth(String name, String peerName, int mtu, Optional<MacAddress> peerMac) {
        socket.execute(RtMessages.newVeth(name, peerName, mtu, peerMac, OptionalInt.empty()));
        markOwned(name);
    }

    @Override
    public void addVethOnBridge(String name, String peerName, int mtu, Optional<MacAddress> peerMac, String bridge) {
        socket.execute(RtMessages.newVethOnBridge(name, peerName, mtu, peerMac, index(bridge)));
        markOwned(name);
    }

    /** A link made a moment ago is ours; should marking it fail, it is removed rather than left unmarked. */
    private void markOwned(String name) {
        try {
            socket.execute(RtMessages.setAlias(name, owner));
        } catch (KernelException e) {
            delete(name);
            throw e;
        }
    }

    @Override
    public Optional<String> master(String name) {
        LinkInfo link = get(name).orElseThrow(() -> new NetlinkException("RTM_GETLINK " + name, Errno.ENODEV, "no link named " + name));
        if (link.masterIndex() == 0) {
            return Optional.empty();
        }
        return socket.execute(RtMessages.getLink(link.masterIndex())).stream().findFirst()
                .map(RtMessages::parseLink).map(LinkInfo::name);
    }

    @Override
    public List<String> owned() {
        return links().stream().filter(l -> l.alias().equals(owner)).map(LinkInfo::name).toList();
    }

    /** Equivalent to: {@code ip link add NAME type veth peer name PEER netns NS}: the peer is born in {@code ns}. */
    public void addVethWithPeerIn(String name, String peerName, int mtu, Optional<MacAddress> peerMac, Path ns) {
        Netns.withFd(ns, fd -> socket.execute(RtMessages.newVeth(name, peerName, mtu, peerMac, OptionalInt.of(fd))));
    }

    @Override
    public void addMacvlan(String name, String parent, int mtu, SubMode mode, Optional<MacAddress> mac) {
        int kernelMode = switch (mode) {
            case BRIDGE -> Ifla.MACVLAN_MODE_BRIDGE;
            case PRIVATE -> Ifla.MACVLAN_MODE_PRIVATE;
            case VEPA -> Ifla.MACVLAN_MODE_VEPA;
            case PASSTHRU -> Ifla.MACVLAN_MODE_PASSTHRU;
            default -> throw new IllegalArgumentException("not a macvlan mode: " + mode);
        };
        NlRequest request = RtMessages.newMacvlan(name, index(parent), kernelMode);
        if (mtu > 0) {
            request = request.with(NlAttr.u32(Ifla.IFLA_MTU, mtu));
        }
        if (mac.isPresent()) {
            request = request.with(NlAttr.bytes(Ifla.IFLA_ADDRESS, mac.get().bytes()));
        }
        socket.execute(request);
        markOwned(name);
    }

    @Override
    public void addIpvlan(String name, String parent, int mtu, SubMode mode) {
        int kernelMode = switch (mode) {
            case L2 -> Ifla.IPVLAN_MODE_L2;
            case L3 -> Ifla.IPVLAN_MODE_L3;
            default -> throw new IllegalArgumentException("not an ipvlan mode: " + mode);
        };
        NlRequest request = RtMessages.newIpvlan(name, index(parent), kernelMode);
        if (mtu > 0) {
            request = request.with(NlAttr.u32(Ifla.IFLA_MTU, mtu));
        }
        socket.execute(request);
        markOwned(name);
    }

    @Override
    public void addVlan(String name, String parent, int vlanId) {
        socket.execute(RtMessages.newVlan(name, index(parent), vlanId));
        markOwned(name);
    }

    @Override
    public void addVxlan(String name, int vni, int port, int mtu) {
        socket.execute(RtMessages.newVxlan(name, vni, port, mtu));
        markOwned(name);
    }

    @Override
    public void addVxlan(String name, int vni, int port, int mtu, LinkLocal local) {
        socket.execute(RtMessages.newVxlan(name, vni, port, mtu, index(local.link()), local.address()));
        markOwned(name);
    }

    @Override
    public void addWireGuard(String name, int mtu) {
        socket.execute(RtMessages.newWireGuard(name, mtu));
        markOwned(name);
    }

    @Override
    public void appendFlood(String link, IPAddress peer) {
        socket.execute(RtMessages.appendFlood(index(link), link, peer));
    }

    @Override
    public void appendFlood(String link, LinkLocal peer) {
        socket.execute(RtMessages.appendFlood(index(link), link, peer.address(), index(peer.link())));
    }

    @Override
    public void removeFlood(String link, IPAddress peer) {
        KernelException.ignoringNotFound(() -> socket.execute(RtMessages.deleteFlood(index(link), link, peer)));
    }

    @Override
    public void removeFlood(String link, LinkLocal peer) {
        KernelException.ignoringNotFound(() -> socket.execute(RtMessages.deleteFlood(index(link), link, peer.address(), index(peer.link()))));
    }

    @Override
    public List<IPAddress> floodDestinations(String link) {
        int index = index(link);
        return socket.execute(RtMessages.dumpForwarding()).stream().filter(r -> r.type() == Rtnl.RTM_NEWNEIGH)
                .flatMap(r -> RtMessages.parseFlood(r, index).stream()).toList();
    }

    /** Equivalent to: {@code ip link add NAME type dummy}. */
    public void addDummy(String name, int mtu) {
        socket.execute(RtMessages.newDummy(name, mtu));
    }

    @Override
    public void setMaster(String name, String master) {
        socket.execute(RtMessages.setMaster(index(name), name, index(master)));
    }

    /** Equivalent to: {@code ip link set NAME nomaster}. */
    public void setNoMaster(String name) {
        socket.execute(RtMessages.setMaster(index(name), name, 0));
    }

    @Override
    public void setUp(String name) {
        socket.execute(RtMessages.setUp(index(name), name, true));
    }

    /** Equivalent to: {@code ip link set NAME down}. */
    public void setDown(String name) {
        socket.execute(RtMessages.setUp(index(name), name, false));
    }

    @Override
    public void setRouteLocalnet(String name) {
        socket.execute(RtMessages.setIpv4DevConf(index(name), name, Ifla.IPV4_DEVCONF_ROUTE_LOCALNET, 1));
    }

    @Override
    public void setProxyArp(String name) {
        int index = index(name);
        socket.execute(RtMessages.setIpv4DevConf(index, name, Ifla.IPV4_DEVCONF_PROXY_ARP, 1));
        socket.execute(RtMessages.setArpProxyDelay(index, name, 0));
    }

    /** Equivalent to: {@code ip link set NAME mtu MTU}. */
    public void setMtu(String name, int mtu) {
        socket.execute(RtMessages.setMtu(index(name), name, mtu));
    }

    /** Equivalent to: {@code ip link set NAME address MAC}. */
    public void setMac(String name, MacAddress mac) {
        socket.execute(RtMessages.setMac(index(name), name, mac));
    }

    /** Equivalent to: {@code ip link set NAME name NEWNAME} (the link must be down). */
    public void rename(String name, String newName) {
        socket.execute(RtMessages.rename(index(name), name, newName));
    }

    /** Equivalent to: {@code ip link set NAME netns NS} with the namespace given by path. */
    public void moveToNamespace(String name, Path ns) {
        int index = index(name);
        Netns.withFd(ns, fd -> socket.execute(RtMessages.moveToNamespaceFd(index, name, fd)));
    }

    /** Equivalent to: {@code ip link set NAME netns PID}. */
    public void moveToNamespace(String name, int pid) {
        socket.execute(RtMessages.moveToNamespacePid(index(name), name, pid));
    }

    @Override
    public void delete(String name) {
        socket.execute(RtMessages.deleteLink(name));
    }

    @Override
    public boolean exists(String name) {
        return get(name).isPresent();
    }

    @Override
    public Optional<String> kind(String name) {
        return get(name).map(LinkInfo::kind);
    }

    /** Equivalent to: {@code ip link show NAME}; empty when there is no such link. */
    public Optional<LinkInfo> get(String name) {
        try {
            return socket.execute(RtMessages.getLink(name)).stream().findFirst().map(RtMessages::parseLink);
        } catch (KernelException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Equivalent to: {@code ip link show}. */
    public List<LinkInfo> links() {
        return socket.execute(RtMessages.dumpLinks()).stream()
                .filter(r -> r.type() == Rtnl.RTM_NEWLINK).map(RtMessages::parseLink).toList();
    }

    // Addresses

    @Override
    public void add(String link, IPAddress addressWithPrefix) {
        socket.execute(RtMessages.newAddress(index(link), addressWithPrefix));
    }

    /** Equivalent to: {@code ip address del ADDRESS/PREFIX dev LINK}. */
    public void deleteAddress(String link, IPAddress addressWithPrefix) {
        socket.execute(RtMessages.deleteAddress(index(link), addressWithPrefix));
    }

    @Override
    public List<IPAddress> addresses(String link) {
        int index = index(link);
        return socket.execute(RtMessages.dumpAddresses()).stream()
                .filter(r -> r.type() == Rtnl.RTM_NEWADDR).map(RtMessages::parseAddress)
                .filter(a -> a.linkIndex() == index).map(AddressInfo::address).toList();
    }

    @Override
    public List<LinkAddress> hostAddresses() {
        Map<Integer, String> names = linkNames();
        return socket.execute(RtMessages.dumpAddresses()).stream()
                .filter(r -> r.type() == Rtnl.RTM_NEWADDR).map(RtMessages::parseAddress)
                .map(a -> new LinkAddress(names.getOrDefault(a.linkIndex(), "?"), a.address().withoutPrefixLength()))
                .toList();
    }

    private Map<Integer, String> linkNames() {
        return links().stream().collect(Collectors.toMap(LinkInfo::index, LinkInfo::name));
    }

    // Routes

    /** Equivalent to: {@code ip route add ROUTE}. */
    public void addRoute(Route route) {
        socket.execute(RtMessages.newRoute(route));
    }

    @Override
    public void addOnLinkRoute(IPAddress destination, String link) {
        addRoute(Route.onLink(destination, index(link)));
    }

    /** Equivalent to: {@code ip route del ROUTE}. */
    public void deleteRoute(Route route) {
        socket.execute(RtMessages.deleteRoute(route));
    }

    /** Equivalent to: {@code ip route show table all} and {@code ip -6 route show table all}. */
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (int family : new int[] {Rtnl.AF_INET, Rtnl.AF_INET6}) {
            socket.execute(RtMessages.dumpRoutes(family)).stream()
                    .filter(r -> r.type() == Rtnl.RTM_NEWROUTE).map(RtMessages::parseRoute).forEach(routes::add);
        }
        return routes;
    }

    @Override
    public List<IPAddress> destinations() {
        return routes().stream()
                .filter(r -> r.table() == Route.MAIN_TABLE && r.destination().getNetworkPrefixLength() > 0)
                .map(Route::destination)
                .filter(d -> d.isIPv4() || !(d.isLinkLocal() || d.isMulticast()))
                .toList();
    }

    @Override
    public List<IPAddress> routesVia(String link) {
        int index = index(link);
        return routes().stream().filter(r -> r.table() == Route.MAIN_TABLE && r.linkIndex() == index)
                .map(Route::destination).toList();
    }

    @Override
    public List<LinkAddress> nextHops() {
        Map<Integer, String> names = linkNames();
        return routes().stream().filter(r -> r.table() == Route.MAIN_TABLE && r.gateway().isPresent())
                .map(r -> new LinkAddress(names.getOrDefault(r.linkIndex(), "?"), r.gateway().get())).toList();
    }

    @Override
    public OptionalInt uplinkMtu() {
        Set<Integer> uplinks = routes().stream()
                .filter(r -> r.table() == Route.MAIN_TABLE && r.destination().isIPv4()
                        && r.destination().getNetworkPrefixLength() == 0)
                .map(Route::linkIndex).collect(Collectors.toSet());
        return links().stream().filter(l -> uplinks.contains(l.index())).mapToInt(LinkInfo::mtu).min();
    }

    // Sysctls

    /**
     * Equivalent to: {@code sysctl -w KEY=VALUE} in this handle's namespace (net keys are per namespace), with the
     * key in slash form, e.g. {@code net/ipv4/ip_forward}.
     */
    @Override
    public void setSysctl(String key, String value) {
        Path file = sysctlFile(key);
        inNamespace(() -> {
            try {
                Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new KernelException("sysctl " + key + "=" + value, Errno.EIO, "cannot write " + file + ": " + e);
            }
            return null;
        });
    }

    @Override
    public String sysctl(String key) {
        Path file = sysctlFile(key);
        return inNamespace(() -> {
            try {
                return Files.readString(file).trim();
            } catch (IOException e) {
                throw new KernelException("sysctl " + key, Errno.EIO, "cannot read " + file + ": " + e);
            }
        });
    }

    private static Path sysctlFile(String key) {
        if (!key.matches("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)+")
                || java.util.Arrays.stream(key.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("not a sysctl key: " + key);
        }
        return Path.of("/proc/sys", key);
    }

    private <T> T inNamespace(java.util.concurrent.Callable<T> work) {
        try {
            return namespace.isPresent() ? Netns.call(namespace.get(), work) : work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int index(String name) {
        return socket.linkIndex(name);
    }
}
