package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.JoinResponse;
import io.javanet.failure.PluginException;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -d javanet-overlay} (a global-scope install): on every node where the network is used, a bridge with
 * a VXLAN device as one of its ports, flooding to every other node of the swarm (the peers Docker announces with
 * DiscoverNew) and learning where each MAC lives. Containers get no gateway of ours: Docker gives them a second
 * interface on its {@code docker_gwbridge} for the way out, NAT and published ports, as it does for its own
 * overlay, so no node needs a route back to another node's containers.
 */
final class OverlayMode implements NetworkMode {

    /** The VXLAN UDP port: not 4789, which Docker's own overlay holds in the same namespace. */
    static final int VXLAN_PORT = 4800;
    /** VXLAN ids below this are left to other users of VXLAN on the host. */
    static final int FIRST_VNI = 4096;
    /** What VXLAN adds to a frame on an IPv4 underlay: the overlay's MTU is this much below the underlay's. */
    static final int VXLAN_OVERHEAD = 50;

    private static final Logger log = LoggerFactory.getLogger(OverlayMode.class);

    private final HostLinks host;
    private final Links links;
    private final Supplier<List<IPAddress>> peers;

    OverlayMode(HostLinks host, Supplier<List<IPAddress>> peers) {
        this.host = host;
        this.links = host.links;
        this.peers = peers;
    }

    /** The nodes of the swarm other than this one, as the store remembers them. */
    static Supplier<List<IPAddress>> peersIn(Store store) {
        return () -> store.read(Store.Tx::peers).stream().map(p -> Cidr.parseHost("peer", p)).toList();
    }

    @Override
    public boolean usesSubnetGateway(NetworkOptions options) {
        return true;
    }

    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        if (!asked.generic().containsKey(Labels.VNI)) {
            throw PluginException.invalid("-o %s: missing; overlay networks are made by swarm: create them with docker"
                    + " network create on a manager", Labels.VNI);
        }
        BridgeMode.refuseTakenBridge(asked, existing);
        return asked;
    }

    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.of(network.bridgeName());
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        String bridge = network.bridgeName();
        String vxlan = LinkNames.vxlan(network.networkId());
        FirewallNetwork rules = firewallRules(network);
        new SetupSteps()
                .step("bridge " + bridge, () -> links.addBridge(bridge, network.mtu()), () -> links.delete(bridge))
                .step("vxlan " + vxlan + " id " + vni(network), () -> links.addVxlan(vxlan, vni(network), VXLAN_PORT,
                        network.mtu()), () -> links.delete(vxlan))
                .step(vxlan + " on " + bridge, () -> links.setMaster(vxlan, bridge))
                .step(vxlan + " up", () -> links.setUp(vxlan))
                .step(bridge + " up", () -> links.setUp(bridge))
                .step("flooding to the swarm's nodes", () -> peers.get().forEach(p -> links.appendFlood(vxlan, p)))
                .step("firewall rules of " + bridge, () -> host.firewall.addNetwork(rules),
                        () -> host.firewall.removeNetwork(rules))
                .apply(undo);
    }

    private static int vni(NetworkRecord network) {
        return NetworkOptions.vni(network.generic().get(Labels.VNI));
    }

    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of(LinkNames.vxlan(network.networkId()), network.bridgeName());
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String veth = endpoint.hostIfName();
        new SetupSteps()
                .step("veth " + veth + " on " + network.bridgeName(), () -> links.addVethOnBridge(veth,
                        endpoint.containerIfName(), network.mtu(), mac, network.bridgeName()), () -> links.delete(veth))
                .apply(undo);
    }

    /** No gateway: Docker adds its docker_gwbridge for the way out, unless the network is internal. */
    @Override
    public JoinResponse join(NetworkRecord network, EndpointRecord endpoint) {
        return new JoinResponse(new InterfaceName(endpoint.containerIfName(), "eth"), null, null, null, network.internal());
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        String bridge = network.bridgeName();
        String vxlan = LinkNames.vxlan(network.networkId());
        expected.add(bridge);
        expected.add(vxlan);
        int repairs = 0;
        if (!links.exists(bridge)) {
            log.warn("reconcile: bridge {} of overlay network {} is missing; re-creating it", bridge, network.networkId());
            links.addBridge(bridge, network.mtu());
            repairs++;
        }
        if (!links.exists(vxlan)) {
            log.warn("reconcile: vxlan {} of overlay network {} is missing; re-creating it", vxlan, network.networkId());
            links.addVxlan(vxlan, vni(network), VXLAN_PORT, network.mtu());
            repairs++;
        }
        if (!links.master(vxlan).equals(Optional.of(bridge))) {
            links.setMaster(vxlan, bridge);
        }
        links.setUp(vxlan);
        links.setUp(bridge);
        peers.get().forEach(p -> appendFloodIfNew(vxlan, p));
        return repairs;
    }

    private void appendFloodIfNew(String vxlan, IPAddress peer) {
        try {
            links.appendFlood(vxlan, peer);
        } catch (KernelException e) {
            if (!e.errno().equals(Errno.EEXIST)) {
                throw e;
            }
        }
    }

    @Override
    public int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        return BridgeMode.putBackOnBridge(links, network, endpoint);
    }

    /** Flooding to a node that joined the swarm, on every overlay network of ours. */
    void peerJoined(NetworkRecord network, IPAddress peer) {
        appendFloodIfNew(LinkNames.vxlan(network.networkId()), peer);
    }

    /** No more flooding to a node that left. */
    void peerLeft(NetworkRecord network, IPAddress peer) {
        links.removeFlood(LinkNames.vxlan(network.networkId()), peer);
    }

    @Override
    public Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.of(firewallRules(network));
    }

    /** Isolation from every other network; no NAT of ours, since the way out is Docker's docker_gwbridge. */
    private static FirewallNetwork firewallRules(NetworkRecord network) {
        return new FirewallNetwork(network.bridgeName(), network.internal(), List.of());
    }
}
