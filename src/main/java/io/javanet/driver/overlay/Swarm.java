package io.javanet.driver.overlay;

import static java.util.stream.Collectors.toSet;

import inet.ipaddr.IPAddress;
import io.javanet.driver.Cluster;
import io.javanet.driver.Findings;
import io.javanet.driver.LinkNames;
import io.javanet.engine.Engine;
import io.javanet.engine.SwarmNetwork;
import io.javanet.firewall.VirtualIp;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.Links;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.UdpProbe;
import io.javanet.net.Cidr;
import io.javanet.net.Mode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay's {@link Cluster}: the other nodes, kept (nothing replays them after a restart) and flooded to on
 * every overlay network; the engine's view of each network followed (its nodes, and its services for
 * {@link ServiceVips}); doctor's probes; the leader's choices, in {@link LeaderAllocation}. Docker
 * announces a node to a driver only as that node joins, so a plugin installed or restarted on a node already in
 * the swarm would know none; the engine's own view of each network (its peers, from its gossip) fills that in.
 */
final class Swarm implements Cluster {

    private static final Logger log = LoggerFactory.getLogger(Swarm.class);

    private final Store store;
    private final OverlayMode overlay;
    private final LeaderAllocation leader;
    private final Addresses addresses;
    private final ServiceVips services;
    private final Links links;
    private final UdpProbe probe;
    /** Per overlay network, the other nodes the engine says have it, as last flooded to. */
    private final Map<String, Set<IPAddress>> enginePeers = new ConcurrentHashMap<>();

    Swarm(Store store, OverlayMode overlay, RouteTable routes, Addresses addresses, ServiceVips services, Links links,
          UdpProbe probe) {
        this.store = store;
        this.probe = probe;
        this.links = links;
        this.overlay = overlay;
        this.leader = new LeaderAllocation(store, routes);
        this.addresses = addresses;
        this.services = services;
    }

    /** The engine's view of each overlay network of ours, one request each. */
    @Override
    public Map<String, SwarmNetwork> ask(Engine engine) {
        Map<String, SwarmNetwork> views = new LinkedHashMap<>();
        for (NetworkRecord network : overlays()) {
            engine.swarmNetwork(network.networkId()).ifPresent(view -> views.put(network.networkId(), view));
        }
        return views;
    }

    /** A new swarm secret, if the file changed: see {@link OverlayEncryption#rekey}. */
    @Override
    public void rotateKeys() {
        overlay.rekey();
    }

    /** Containers' namespaces can be entered from here: see {@link ServiceVips#check}. */
    @Override
    public void check(Findings findings) {
        services.check(findings);
    }

    @Override
    public Optional<List<String>> checkNetwork(NetworkRecord network, Findings findings) {
        return network.mode() == Mode.OVERLAY ? Optional.of(checkFloods(network, findings)) : Optional.empty();
    }

    @Override
    public void checkReach(List<NetworkRecord> networks, Findings findings) {
        checkTunnels(networks.stream().filter(n -> n.mode() == Mode.OVERLAY).toList(), findings);
    }

    /**
     * For each overlay network the engine gave a view of (by network ID): floods to the other nodes the engine
     * says have the network, and no more to those it no longer lists, unless Docker announced them (DiscoverNew),
     * which keep their flooding until DiscoverDelete; and balances the network's services as the engine lists
     * them ({@link ServiceVips}). This node's own addresses, and the nodes Docker announced, are read once a round.
     */
    @Override
    public void follow(Map<String, SwarmNetwork> views) {
        Set<String> own = addresses.hostAddresses().stream().map(a -> Cidr.hostText(a.address())).collect(toSet());
        Set<String> announced = Set.copyOf(store.read(Tx::peers));
        views.forEach((id, view) -> store.network(id).ifPresent(network -> follow(network, view, own, announced)));
    }

    private void follow(NetworkRecord network, SwarmNetwork view, Set<String> own, Set<String> announced) {
        Set<IPAddress> others = view.peers().stream().filter(p -> !own.contains(Cidr.hostText(p))).collect(toSet());
        Set<IPAddress> before = enginePeers.getOrDefault(network.networkId(), Set.of());
        for (IPAddress peer : others) {
            if (!before.contains(peer)) {
                overlay.peerJoined(network, peer);
                log.info("overlay network {}: node {} has it, says the engine", network.networkId(), Cidr.hostText(peer));
            }
        }
        for (IPAddress peer : before) {
            if (!others.contains(peer) && !announced.contains(Cidr.hostText(peer))) {
                overlay.peerLeft(network, peer);
                log.info("overlay network {}: node {} no longer has it, says the engine", network.networkId(),
                        Cidr.hostText(peer));
            }
        }
        enginePeers.put(network.networkId(), others);
        services.update(network, () -> store.read(tx -> tx.endpoints(network.networkId())).stream()
                        .map(EndpointRecord::sandboxKey).filter(key -> key != null && !key.isEmpty()).toList(),
                view.services().stream().map(s -> new VirtualIp(s.vip(), s.tasks())).toList());
    }

    /** How many other nodes overlay networks flood to: those Docker announced, and those the engine listed. */
    @Override
    public int peerCount() {
        Set<String> all = new HashSet<>(store.read(Tx::peers));
        enginePeers.values().forEach(peers -> peers.forEach(p -> all.add(Cidr.hostText(p))));
        return all.size();
    }

    /**
     * Read only, for doctor: the nodes the network's VXLAN device floods to, as the kernel holds them, against
     * those it should: every node Docker announced and every node the engine last said has the network. Returns
     * the nodes it floods to, by their swarm address.
     */
    private List<String> checkFloods(NetworkRecord network, Findings findings) {
        String vxlan = LinkNames.vxlan(network.networkId());
        if (!links.exists(vxlan)) {
            return List.of();
        }
        Map<IPAddress, IPAddress> nodeByDestination = new HashMap<>();
        for (IPAddress peer : expectedPeers(network.networkId())) {
            nodeByDestination.put(OverlayEncryption.asked(network) ? OverlayEncryption.tunnelAddress(peer).address() : peer, peer);
        }
        List<IPAddress> floods = links.floodDestinations(vxlan);
        nodeByDestination.forEach((destination, peer) -> findings.expect(floods.contains(destination), "flooding",
                "to node " + Cidr.hostText(peer), vxlan + " does not flood to node " + Cidr.hostText(peer) + ", which has"
                        + " the network: its containers and this node's cannot start a conversation", Findings.RESTART_PLUGIN));
        return floods.stream().map(f -> Cidr.hostText(nodeByDestination.getOrDefault(f, f))).sorted().toList();
    }

    /**
     * Read only, for doctor: each node flooded to answers on the tunnel's UDP port, as far as UDP tells: a
     * refusal means no javanet overlay listens there, or a firewall rejects it.
     */
    private void checkTunnels(List<NetworkRecord> overlays, Findings findings) {
        Set<Tunnel> tunnels = new TreeSet<>(Comparator.comparing(Tunnel::node).thenComparing(Tunnel::port));
        for (NetworkRecord network : overlays) {
            int port = OverlayEncryption.asked(network) ? OverlayEncryption.WIREGUARD_PORT : OverlayMode.VXLAN_PORT;
            expectedPeers(network.networkId()).forEach(peer -> tunnels.add(new Tunnel(Cidr.hostText(peer), port)));
        }
        for (Tunnel tunnel : tunnels) {
            String node = tunnel.node();
            int port = tunnel.port();
            Optional<String> refusal = probe.refusal(Cidr.parseHost("node", node), port, TUNNEL_PROBE);
            findings.expect(refusal.isEmpty(), "tunnel", "node " + node + " takes UDP " + port, "node " + node
                    + " refuses UDP " + port + ": " + refusal.orElse(""), "check that javanet runs on node " + node
                    + " and that no firewall between the nodes blocks UDP " + port);
        }
    }

    /** A node's tunnel port, probed once however many networks reach the node through it. */
    private record Tunnel(String node, int port) {
    }

    /** A VXLAN header for a VNI no network uses, which a node's tunnel drops without an answer; WireGuard too. */
    private static final byte[] TUNNEL_PROBE = {0x08, 0, 0, 0, 0, 0, 0, 0};

    private Set<IPAddress> expectedPeers(String networkId) {
        Set<IPAddress> peers = new HashSet<>(enginePeers.getOrDefault(networkId, Set.of()));
        store.read(Tx::peers).forEach(p -> peers.add(Cidr.parseHost("peer", p)));
        return peers;
    }

    /** A network gone: nothing more to follow for it. */
    @Override
    public void forget(String networkId) {
        enginePeers.remove(networkId);
        services.forget(networkId);
    }

    /** Docker says which address is this node's: encrypted overlays derive its keys from it. */
    @Override
    public void thisNode(IPAddress node) {
        store.write(tx -> tx.putSelf(Cidr.hostText(node)));
        log.info("this swarm node is {}", Cidr.hostText(node));
    }

    @Override
    public void nodeJoined(IPAddress node) {
        store.write(tx -> tx.putPeer(Cidr.hostText(node)));
        overlays().forEach(n -> overlay.peerJoined(n, node));
        log.info("swarm node {} joined", Cidr.hostText(node));
    }

    @Override
    public void nodeLeft(IPAddress node) {
        overlays().forEach(n -> overlay.peerLeft(n, node));
        store.write(tx -> tx.deletePeer(Cidr.hostText(node)));
        log.info("swarm node {} left", Cidr.hostText(node));
    }

    private List<NetworkRecord> overlays() {
        return store.read(Tx::networks).stream().filter(n -> n.mode() == Mode.OVERLAY).toList();
    }

    /** On the swarm's leader: see {@link LeaderAllocation#allocate}. */
    @Override
    public Map<String, String> allocate(String networkId, Map<String, String> given) {
        return leader.allocate(networkId, given);
    }

    @Override
    public void free(String networkId) {
        leader.free(networkId);
    }
}
