package io.javanet.kernel;

import inet.ipaddr.IPAddress;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.Rate;
import io.javanet.netlink.TcMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A kernel held in memory that answers as the real one does (EEXIST for a name in use, ENODEV for an unknown
 * link, a veth deleted with its peer), so driver logic is tested without root; it also fails or holds an
 * operation when a test asks, as a busy or slow kernel would.
 */
public final class MemoryKernel implements Links, Addresses, RouteTable, Sysctls, WireGuard, TrafficControl {

    /** What the fake holds about one link. */
    public record HeldLink(String name, String kind, int mtu, String peer, String master, boolean up,
                       Optional<MacAddress> mac, List<IPAddress> addresses, boolean owned) {
        HeldLink withMaster(String newMaster) {
            return new HeldLink(name, kind, mtu, peer, newMaster, up, mac, addresses, owned);
        }

        HeldLink withUp() {
            return new HeldLink(name, kind, mtu, peer, master, true, mac, addresses, owned);
        }
    }

    private final Map<String, HeldLink> links = new LinkedHashMap<>();
    private final Set<String> isolatedPorts = new java.util.HashSet<>();
    private final Map<String, String> vxlans = new HashMap<>();
    private OptionalInt uplinkMtu = OptionalInt.empty();
    private final List<LinkAddress> nextHops = new ArrayList<>();
    private final Map<String, Set<String>> floods = new HashMap<>();
    private final List<IPAddress> extraRoutes = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Map<IPAddress, String> onLinkRoutes = new LinkedHashMap<>();
    /** Whether this kernel knows the ipvlan kind; some are built without it. */
    public boolean ipvlanSupported = true;
    /** Whether this kernel knows the wireguard kind; most hosts' do, this VM's does not. */
    public boolean wireguardSupported = true;
    /** Whether this kernel has the matchall classifier and the police action; most hosts' do, this VM's does not. */
    public boolean policingSupported = true;
    private final Map<String, BandwidthLimits> limits = new HashMap<>();
    /** Other namespaces (containers'), by path, each a kernel of its own. */
    private final Map<Path, MemoryKernel> namespaces = new HashMap<>();
    private final Map<String, Errno> failing = new ConcurrentHashMap<>();
    private volatile Optional<Hold> hold = Optional.empty();

    /**
     * Makes a {@link Links} operation fail with {@code errno} until {@link #stopFailing}: named as its method
     * ({@code "setUp"}, {@code "delete"}, {@code "master"}, …), or {@code "add KIND"} for making a link of that kind.
     */
    public void failOn(String operation, Errno errno) {
        failing.put(operation, errno);
    }

    public void stopFailing() {
        failing.clear();
    }

    private void injectedFailure(String operation) {
        Errno errno = failing.get(operation);
        if (errno != null) {
            throw new KernelException("injected " + operation, errno, "injected failure");
        }
    }

    /** The making of one link, held: {@code reached} counts down when it starts, which waits for {@code release}. */
    public record Hold(String link, CountDownLatch reached, CountDownLatch release) {
    }

    /** Holds the making of the link named {@code link}, as a slow kernel would, until the hold's release. */
    public Hold holdAdding(String link) {
        Hold held = new Hold(link, new CountDownLatch(1), new CountDownLatch(1));
        hold = Optional.of(held);
        return held;
    }

    private void holdIfAsked(String link) {
        Optional<Hold> held = hold.filter(h -> h.link().equals(link));
        if (held.isPresent()) {
            held.get().reached().countDown();
            try {
                held.get().release().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void setSysctl(String key, String value) {
        sysctls.put(key, value);
    }

    @Override
    public synchronized String sysctl(String key) {
        return sysctls.getOrDefault(key, "0");
    }

    @Override
    public synchronized void setRouteLocalnet(String name) {
        injectedFailure("setRouteLocalnet");
        existing("RTM_NEWLINK " + name + " route_localnet", name);
        sysctls.put("net/ipv4/conf/" + name + "/route_localnet", "1");
    }

    @Override
    public synchronized void setProxyArp(String name) {
        injectedFailure("setProxyArp");
        existing("RTM_NEWLINK " + name + " proxy_arp", name);
        sysctls.put("net/ipv4/conf/" + name + "/proxy_arp", "1");
        sysctls.put("net/ipv4/neigh/" + name + "/proxy_delay", "0");
    }

    /** The sysctls written so far. */
    public synchronized Map<String, String> sysctls() {
        return Map.copyOf(sysctls);
    }

    @Override
    public void add(Link link) {
        injectedFailure("add " + link.kind());
        holdIfAsked(link.name());
        synchronized (this) {
            String op = "RTM_NEWLINK " + link.kind() + " " + link.name();
            LinkAttrs attrs = link.attrs();
            link.parentLink().ifPresent(parent -> existing(op, parent));
            attrs.master().ifPresent(master -> bridge(op, master));
            checkNew(op, link.name());
            switch (link) {
                case Link.Veth veth -> {
                    checkNew(op, veth.peerName());
                    put(link, veth.peerName(), Optional.empty());
                    int mtu = links.get(link.name()).mtu();
                    links.put(veth.peerName(), new HeldLink(veth.peerName(), "veth", mtu, link.name(), null, false,
                            veth.peerMac(), new ArrayList<>(), false));
                }
                case Link.Ipvlan _ when !ipvlanSupported -> throw new KernelException(op, Errno.EOPNOTSUPP, "Operation not supported");
                case Link.WireGuard _ when !wireguardSupported -> throw new KernelException(op, Errno.EOPNOTSUPP, "Unknown device type");
                case Link.Vxlan vxlan -> {
                    vxlan.local().ifPresent(local -> existing(op, local.link()));
                    put(link, null, attrs.mac());
                    vxlans.put(link.name(), vxlan.vni() + "/" + vxlan.port() + vxlan.local().map(l -> "/" + l).orElse(""));
                }
                default -> put(link, link.parentLink().orElse(null), attrs.mac());
            }
        }
    }

    private void put(Link link, String peer, Optional<MacAddress> mac) {
        LinkAttrs attrs = link.attrs();
        int mtu = attrs.mtu() > 0 ? attrs.mtu() : 1500;
        links.put(link.name(), new HeldLink(link.name(), link.kind(), mtu, peer, attrs.master().orElse(null), attrs.up(), mac,
                new ArrayList<>(), true));
    }

    /** A bridge another program made: not ours to remove. */
    public synchronized void addForeignBridge(String name) {
        checkNew("RTM_NEWLINK bridge " + name, name);
        links.put(name, new HeldLink(name, "bridge", 1500, null, null, true, Optional.empty(), new ArrayList<>(), false));
    }

    @Override
    public synchronized void appendFlood(String link, IPAddress peer) {
        injectedFailure("appendFlood");
        existing("RTM_NEWNEIGH " + link, link);
        floods.computeIfAbsent(link, l -> new java.util.TreeSet<>()).add(Cidr.hostText(peer));
    }

    @Override
    public synchronized void removeFlood(String link, IPAddress peer) {
        injectedFailure("removeFlood");
        if (floods.containsKey(link)) {
            floods.get(link).remove(Cidr.hostText(peer));
        }
    }

    @Override
    public synchronized void appendFlood(String link, LinkLocal peer) {
        injectedFailure("appendFlood");
        existing("RTM_NEWNEIGH " + link + " via " + peer.link(), peer.link());
        appendFlood(link, peer.address());
    }

    @Override
    public synchronized List<IPAddress> floodDestinations(String link) {
        injectedFailure("floodDestinations");
        existing("RTM_GETNEIGH " + link, link);
        return floods(link).stream().map(p -> Cidr.parseHost("flood", p)).toList();
    }

    @Override
    public synchronized void removeFlood(String link, LinkLocal peer) {
        injectedFailure("removeFlood");
        removeFlood(link, peer.address());
    }

    /** What a WireGuard device holds: its private key, port and peers by public key. */
    public record WireGuardDevice(WireGuardKey privateKey, int listenPort, Map<WireGuardKey, WireGuardPeer> peers) {
    }

    private final Map<String, WireGuardDevice> wireguards = new HashMap<>();

    @Override
    public synchronized void configure(String device, WireGuardKey privateKey, int listenPort, List<WireGuardPeer> peers) {
        wireguardDevice("WG_CMD_SET_DEVICE " + device, device);
        Map<WireGuardKey, WireGuardPeer> byKey = new LinkedHashMap<>();
        peers.forEach(p -> byKey.put(p.publicKey(), p));
        wireguards.put(device, new WireGuardDevice(privateKey, listenPort, byKey));
    }

    @Override
    public synchronized void setPeer(String device, WireGuardPeer peer) {
        wireguardDevice("WG_CMD_SET_DEVICE " + device, device);
        wireguards.get(device).peers().put(peer.publicKey(), peer);
    }

    @Override
    public synchronized void removePeer(String device, WireGuardKey publicKey) {
        wireguardDevice("WG_CMD_SET_DEVICE " + device, device);
        wireguards.get(device).peers().remove(publicKey);
    }

    /** A WireGuard device's configuration, empty if it was never configured. */
    public synchronized Optional<WireGuardDevice> wireguard(String device) {
        return Optional.ofNullable(wireguards.get(device));
    }

    private void wireguardDevice(String op, String device) {
        existing(op, device);
        if (!links.get(device).kind().equals("wireguard")) {
            throw new KernelException(op, Errno.EOPNOTSUPP, device + " is not a WireGuard device");
        }
        wireguards.computeIfAbsent(device, d -> new WireGuardDevice(null, 0, new LinkedHashMap<>()));
    }

    /** A VXLAN device's "VNI/port". */
    public synchronized Optional<String> vxlan(String name) {
        return Optional.ofNullable(vxlans.get(name));
    }

    /** The peers a VXLAN device floods to. */
    public synchronized Set<String> floods(String link) {
        return Set.copyOf(floods.getOrDefault(link, new java.util.TreeSet<>()));
    }

    @Override
    public synchronized void setMaster(String name, String master) {
        injectedFailure("setMaster");
        String op = "RTM_NEWLINK " + name + " master " + master;
        HeldLink link = existing(op, name);
        bridge(op, master);
        links.put(name, link.withMaster(master));
        isolatedPorts.remove(name);
    }

    /** As the kernel, a link that is no bridge port has no port flags to set. */
    @Override
    public synchronized void setPortIsolated(String name) {
        injectedFailure("setPortIsolated");
        String op = "RTM_NEWLINK " + name + " bridge_slave isolated on";
        if (existing(op, name).master() == null) {
            throw new KernelException(op, Errno.EOPNOTSUPP, "Operation not supported");
        }
        isolatedPorts.add(name);
    }

    /** Whether the bridge port is isolated from the bridge's other isolated ports. */
    public synchronized boolean isolated(String name) {
        return isolatedPorts.contains(name);
    }

    @Override
    public synchronized void setUp(String name) {
        injectedFailure("setUp");
        links.put(name, existing("RTM_NEWLINK " + name + " up", name).withUp());
    }

    @Override
    public synchronized void delete(String name) {
        injectedFailure("delete");
        existing("RTM_DELLINK " + name, name);
        unregister(name);
    }

    /** As the kernel unregisters a device: its veth peer and the links made on it go too, its ports stay. */
    private void unregister(String name) {
        isolatedPorts.remove(name);
        HeldLink link = links.remove(name);
        if (link == null) {
            return;
        }
        wireguards.remove(name);
        limits.remove(name);
        floods.remove(name);
        vxlans.remove(name);
        onLinkRoutes.values().removeIf(name::equals);
        links.replaceAll((n, l) -> name.equals(l.master()) ? l.withMaster(null) : l);
        isolatedPorts.removeIf(port -> links.get(port).master() == null);
        if (link.kind().equals("veth") && link.peer() != null) {
            unregister(link.peer());
        }
        links.values().stream().filter(l -> List.of("macvlan", "ipvlan", "vlan").contains(l.kind()) && name.equals(l.peer()))
                .map(HeldLink::name).toList().forEach(this::unregister);
    }

    @Override
    public synchronized boolean exists(String name) {
        injectedFailure("exists");
        return links.containsKey(name);
    }

    @Override
    public synchronized Optional<String> kind(String name) {
        injectedFailure("kind");
        return Optional.ofNullable(links.get(name)).map(HeldLink::kind);
    }

    @Override
    public synchronized Optional<String> master(String name) {
        injectedFailure("master");
        return Optional.ofNullable(existing("RTM_GETLINK " + name, name).master());
    }

    @Override
    public synchronized List<String> owned() {
        injectedFailure("owned");
        return links.values().stream().filter(HeldLink::owned).map(HeldLink::name).toList();
    }

    @Override
    public synchronized List<IPAddress> addresses(String link) {
        return List.copyOf(existing("RTM_GETADDR " + link, link).addresses());
    }

    /** Moves a link into a container's namespace, as Docker does at Join: this namespace no longer sees it. */
    public synchronized void moveToContainer(String name) {
        existing("RTM_NEWLINK " + name + " netns", name);
        links.remove(name);
        limits.remove(name);
    }

    /** Moves a link into the namespace at {@code path} under a new name, as Docker does at Join; its limits stay behind. */
    public synchronized void moveToContainer(String name, Path path, String newName) {
        HeldLink link = existing("RTM_NEWLINK " + name + " netns " + path, name);
        moveToContainer(name);
        namespace(path).links.put(newName, new HeldLink(newName, link.kind(), link.mtu(), null, null, link.up(),
                link.mac(), new ArrayList<>(), false));
    }

    /** The namespace at {@code path}, made empty the first time it is asked for (a container started). */
    public synchronized MemoryKernel namespace(Path path) {
        return namespaces.computeIfAbsent(path, p -> new MemoryKernel());
    }

    @Override
    public <T> T in(Path namespace, Function<TrafficControl, T> work) {
        MemoryKernel there;
        synchronized (this) {
            there = namespaces.get(namespace);
        }
        if (there == null) {
            throw new KernelException("open " + namespace, Errno.ENOENT, "No such file or directory");
        }
        return work.apply(there);
    }

    @Override
    public synchronized Optional<String> linkHolding(IPAddress address) {
        IPAddress wanted = address.withoutPrefixLength();
        return links.values().stream().filter(l -> l.addresses().stream().anyMatch(a -> a.withoutPrefixLength().equals(wanted)))
                .map(HeldLink::name).findFirst();
    }

    @Override
    public synchronized void limitEgress(String link, Rate rate) {
        injectedFailure("limitEgress");
        existing("RTM_NEWQDISC " + link + " root tbf", link);
        TcMessages.limitEgress(0, link, rate); // refuses a rate the kernel's clock cannot express, as for the kernel
        limits.put(link, limits(link).withEgress(rate));
    }

    @Override
    public synchronized void limitIngress(String link, Rate rate) {
        injectedFailure("limitIngress");
        String op = "RTM_NEWTFILTER " + link + " ingress matchall police";
        existing(op, link);
        TcMessages.police(0, link, rate);
        if (!policingSupported) {
            throw new KernelException(op, Errno.EOPNOTSUPP, "this kernel has no matchall classifier or no police action");
        }
        limits.put(link, limits(link).withIngress(rate));
    }

    @Override
    public synchronized void clear(String link) {
        injectedFailure("clear");
        existing("RTM_GETQDISC " + link, link);
        limits.remove(link);
    }

    /** As the kernel keeps them: in bytes per second, so a rate reads back rounded down to whole bytes. */
    @Override
    public synchronized BandwidthLimits limits(String link) {
        existing("RTM_GETQDISC " + link, link);
        BandwidthLimits held = limits.getOrDefault(link, BandwidthLimits.NONE);
        return new BandwidthLimits(held.egress().map(MemoryKernel::asKept), held.ingress().map(MemoryKernel::asKept));
    }

    private static Rate asKept(Rate rate) {
        return Rate.ofBytesPerSecond(rate.bytesPerSecond());
    }

    /** Takes an address away, as someone running ip address del would. */
    public synchronized void removeAddress(String link, IPAddress address) {
        existing("RTM_DELADDR " + link, link).addresses().remove(address);
    }

    @Override
    public synchronized void add(String link, IPAddress addressWithPrefix) {
        String op = "RTM_NEWADDR " + addressWithPrefix + " dev " + link;
        HeldLink l = existing(op, link);
        if (l.addresses().contains(addressWithPrefix)) {
            throw new KernelException(op, Errno.EEXIST, "File exists");
        }
        l.addresses().add(addressWithPrefix);
    }

    @Override
    public synchronized List<IPAddress> destinations() {
        List<IPAddress> result = new ArrayList<>(extraRoutes);
        links.values().forEach(l -> l.addresses().forEach(a -> result.add(a.toPrefixBlock())));
        result.addAll(onLinkRoutes.keySet());
        return result;
    }

    @Override
    public synchronized List<LinkAddress> hostAddresses() {
        List<LinkAddress> result = new ArrayList<>();
        links.values().forEach(l -> l.addresses().forEach(a -> result.add(new LinkAddress(l.name(), a.withoutPrefixLength()))));
        return result;
    }

    @Override
    public synchronized List<IPAddress> routesVia(String link) {
        existing("RTM_GETROUTE dev " + link, link);
        return onLinkRoutes.entrySet().stream().filter(e -> e.getValue().equals(link)).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized List<LinkAddress> nextHops() {
        return List.copyOf(nextHops);
    }

    /** Gives the host a route through {@code link} via {@code gateway}, as its default route would be. */
    public synchronized void addNextHop(String link, IPAddress gateway) {
        nextHops.add(new LinkAddress(link, gateway));
    }

    @Override
    public synchronized OptionalInt uplinkMtu() {
        return uplinkMtu;
    }

    /** Gives the host a default route out of a link with that MTU. */
    public synchronized void setUplinkMtu(int mtu) {
        uplinkMtu = OptionalInt.of(mtu);
    }

    @Override
    public synchronized void addOnLinkRoute(IPAddress destination, String link) {
        String op = "RTM_NEWROUTE " + destination + " dev " + link;
        if (!existing(op, link).up()) {
            throw new KernelException(op, Errno.ENETDOWN, "Nexthop device is not up");
        }
        if (onLinkRoutes.containsKey(destination.toPrefixBlock())) {
            throw new KernelException(op, Errno.EEXIST, "File exists");
        }
        onLinkRoutes.put(destination.toPrefixBlock(), link);
    }

    /** Our on-link routes: destination to link. */
    public synchronized Map<IPAddress, String> onLinkRoutes() {
        return Map.copyOf(onLinkRoutes);
    }

    /** Takes a route away, as someone running ip route del would. */
    public synchronized void removeOnLinkRoute(IPAddress destination) {
        onLinkRoutes.remove(destination.toPrefixBlock());
    }

    /** Adds a route the host is said to have, as another program's network would. */
    public synchronized void addRoute(IPAddress destination) {
        extraRoutes.add(destination.toPrefixBlock());
    }

    /** A snapshot of one link, if it exists. */
    public synchronized Optional<HeldLink> link(String name) {
        return Optional.ofNullable(links.get(name));
    }

    /** The names of all links, in creation order. */
    public synchronized List<String> linkNames() {
        return List.copyOf(links.keySet());
    }

    private void checkNew(String op, String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 15) {
            throw new KernelException(op, Errno.EINVAL, "Invalid argument");
        }
        if (links.containsKey(name)) {
            throw new KernelException(op, Errno.EEXIST, "File exists");
        }
    }

    private HeldLink bridge(String op, String name) {
        HeldLink bridge = existing(op, name);
        if (!bridge.kind().equals("bridge")) {
            throw new KernelException(op, Errno.EOPNOTSUPP, "Operation not supported");
        }
        return bridge;
    }

    private HeldLink existing(String op, String name) {
        HeldLink link = links.get(name);
        if (link == null) {
            throw new KernelException(op, Errno.ENODEV, "No such device");
        }
        return link;
    }
}
