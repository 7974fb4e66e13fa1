package io.javanet.netlink;

import inet.ipaddr.IPAddress;
import io.javanet.kernel.AddressInfo;
import io.javanet.kernel.LinkAddress;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkInfo;
import io.javanet.kernel.LinkLocal;
import io.javanet.kernel.Links;
import io.javanet.kernel.Route;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.Sysctls;
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
    public void add(Link link) {
        socket.execute(RtMessages.newLink(link, this::index));
        markOwned(link.name());
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

    /**
     * The links marked as {@code formerOwner}'s become ours ({@code ip link set NAME alias OWNER} for each): its
     * state is ours now. Returns their names.
     */
    public List<String> adopt(String formerOwner) {
        List<String> adopted = links().stream().filter(l -> l.alias().equals(formerOwner)).map(LinkInfo::name).toList();
        adopted.forEach(name -> socket.execute(RtMessages.setAlias(name, owner)));
        return adopted;
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

    @Override
    public void setMaster(String name, String master) {
        socket.execute(RtMessages.setMaster(index(name), name, index(master)));
    }

    @Override
    public void setPortIsolated(String name) {
        socket.execute(RtMessages.setPortIsolated(index(name), name));
    }

    @Override
    public void setUp(String name) {
        socket.execute(RtMessages.setUp(index(name), name));
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
    private Optional<LinkInfo> get(String name) {
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
    private List<LinkInfo> links() {
        return socket.execute(RtMessages.dumpLinks()).stream()
                .filter(r -> r.type() == Rtnl.RTM_NEWLINK).map(RtMessages::parseLink).toList();
    }

    // Addresses

    @Override
    public void add(String link, IPAddress addressWithPrefix) {
        socket.execute(RtMessages.newAddress(index(link), addressWithPrefix));
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

    @Override
    public void addOnLinkRoute(IPAddress destination, String link) {
        socket.execute(RtMessages.newRoute(Route.onLink(destination, index(link))));
    }

    /** Equivalent to: {@code ip route show table all} and {@code ip -6 route show table all}. */
    private List<Route> routes() {
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
