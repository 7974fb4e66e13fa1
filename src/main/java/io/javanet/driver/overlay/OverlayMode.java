package io.javanet.driver.overlay;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.JoinResponse;
import io.javanet.driver.Findings;
import io.javanet.driver.LinkNames;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.SubMode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -d javanet-overlay} (a global-scope install): on every node where the network is used, a VXLAN device
 * flooding to every other node of the swarm (the peers Docker announces with DiscoverNew) and learning where each
 * MAC lives; each endpoint is a macvlan of that device in bridge mode, which switches between the node's own
 * containers. No Linux bridge: bridged frames would pass through the host's iptables (br_netfilter, which
 * Docker turns on for its own bridges), a cost Docker's overlay avoids with a namespace of its own per network.
 * Containers get no gateway of ours: Docker gives them a second interface on its {@code docker_gwbridge} for
 * the way out, NAT and published ports, as it does for its own overlay, so no node needs a route back to another
 * node's containers; nothing of the overlay passes through the host's firewall. An encrypted network
 * ({@code --opt encrypted}) sends its VXLAN through WireGuard instead ({@link OverlayEncryption}).
 */
final class OverlayMode implements NetworkMode {

    /** An overlay network's VXLAN id, chosen by AllocateNetwork on the swarm's leader and handed to every node. */
    public static final String VNI = "javanet.vni";
    /** {@code docker network create --opt encrypted}, as Docker's own overlay spells it. */
    public static final String ENCRYPTED = "encrypted";

    /** The VXLAN UDP port: not 4789, which Docker's own overlay holds in the same namespace. */
    static final int VXLAN_PORT = 4800;
    /** VXLAN ids below this are left to other users of VXLAN on the host. */
    static final int FIRST_VNI = 4096;
    /** What VXLAN adds to a frame on an IPv4 underlay: the overlay's MTU is this much below the underlay's. */
    static final int VXLAN_OVERHEAD = 50;

    private static final Logger log = LoggerFactory.getLogger(OverlayMode.class);

    private final Links links;
    private final Supplier<List<IPAddress>> peers;
    private final ServiceVips services;
    private final OverlayEncryption encryption;

    OverlayMode(Links links, Supplier<List<IPAddress>> peers, ServiceVips services, OverlayEncryption encryption) {
        this.links = links;
        this.peers = peers;
        this.services = services;
        this.encryption = encryption;
    }

    /** The nodes of the swarm other than this one, as the store remembers them. */
    static Supplier<List<IPAddress>> peersIn(Store store) {
        return () -> store.read(Tx::peers).stream().map(p -> Cidr.parseHost("peer", p)).toList();
    }

    /** Its options stay in the record's {@code -o} ones, where swarm's leader puts the VXLAN id: nothing of its own. */
    @Override
    public Set<String> optionKeys() {
        return Set.of(OverlayMode.VNI, OverlayMode.ENCRYPTED);
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        String encrypted = generic.getOrDefault(OverlayMode.ENCRYPTED, "");
        if (!encrypted.isEmpty() && !encrypted.equals("true")) {
            throw PluginException.invalid("-o %s: takes no value (or true), got \"%s\"; leave the option out for a"
                    + " network in the clear", OverlayMode.ENCRYPTED, encrypted);
        }
        if (generic.containsKey(OverlayMode.VNI)) {
            vni(generic.get(OverlayMode.VNI));
        }
        return Map.of();
    }

    @Override
    public String link(NetworkRecord network) {
        return LinkNames.vxlan(network.networkId());
    }

    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        return true;
    }

    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        if (!asked.generic().containsKey(OverlayMode.VNI)) {
            throw PluginException.invalid("-o %s: missing; overlay networks are made by swarm: create them with docker"
                    + " network create on a manager", OverlayMode.VNI);
        }
        return asked;
    }

    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.of(LinkNames.vxlan(network.networkId()));
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        String vxlan = LinkNames.vxlan(network.networkId());
        if (OverlayEncryption.asked(network)) {
            encryption.ensureDevice(network.mtu(), undo);
        }
        new SetupSteps().step("vxlan " + vxlan + " id " + vni(network), () -> addVxlan(network, vxlan), () -> links.delete(vxlan))
                .step(vxlan + " up", () -> links.setUp(vxlan))
                .step("flooding to the swarm's nodes", () -> peers.get().forEach(p -> peerJoined(network, p)),
                        () -> encryption.removed(network.networkId()))
                .apply(undo);
    }

    /** Unencrypted: through the host's routes; encrypted: through the WireGuard device only. */
    private void addVxlan(NetworkRecord network, String vxlan) {
        LinkAttrs attrs = LinkAttrs.of(vxlan, network.mtu());
        if (OverlayEncryption.asked(network)) {
            links.add(new Link.Vxlan(attrs, vni(network), OverlayEncryption.VXLAN_PORT, Optional.of(encryption.local())));
        } else {
            links.add(new Link.Vxlan(attrs, vni(network), VXLAN_PORT, Optional.empty()));
        }
    }

    private static int vni(NetworkRecord network) {
        return vni(network.generic().get(OverlayMode.VNI));
    }

    /** A VXLAN id, 1 to 16777215. */
    static int vni(String value) {
        return NetworkOptions.number(OverlayMode.VNI, value, 1, 0xffffff, "a VXLAN id");
    }

    /** The network's VXLAN device, and the WireGuard device with the last encrypted network. */
    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        String vxlan = LinkNames.vxlan(network.networkId());
        if (!OverlayEncryption.asked(network)) {
            return List.of(vxlan);
        }
        encryption.removed(network.networkId());
        boolean lastEncrypted = others.stream().noneMatch(n -> n.mode() == network.mode() && OverlayEncryption.asked(n));
        return lastEncrypted ? List.of(vxlan, OverlayEncryption.DEVICE) : List.of(vxlan);
    }

    @Override
    public EndpointLinks endpointLinks(String endpointId) {
        return EndpointLinks.subInterface(endpointId);
    }

    /** A macvlan of the network's VXLAN device, with the network's MTU. */
    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String link = endpoint.hostIfName();
        String vxlan = LinkNames.vxlan(network.networkId());
        new SetupSteps()
                .step("macvlan " + link + " on " + vxlan, () -> links.add(new Link.Macvlan(
                        LinkAttrs.of(link, network.mtu()).withMac(mac), vxlan, SubMode.BRIDGE)), () -> links.delete(link))
                .apply(undo);
    }

    @Override
    public boolean encrypted(NetworkRecord network) {
        return OverlayEncryption.asked(network);
    }

    /** Docker's docker_gwbridge publishes ports, as for its own overlay. */
    @Override
    public boolean vethEndpoints() {
        return false;
    }

    /**
     * No gateway: Docker adds its docker_gwbridge for the way out, unless the network is internal. The
     * container's namespace gets the network's service VIPs.
     */
    @Override
    public JoinResponse join(NetworkRecord network, EndpointRecord endpoint) {
        services.joined(network, endpoint.sandboxKey());
        return new JoinResponse(new InterfaceName(endpoint.containerIfName(), NetworkMode.interfacePrefix(network)), null, null, null, network.internal());
    }

    @Override
    public void leave(NetworkRecord network, EndpointRecord endpoint) {
        if (endpoint.sandboxKey() != null && !endpoint.sandboxKey().isEmpty()) {
            services.left(network, endpoint.sandboxKey());
        }
    }

    /** The devices only: where they flood to is the swarm's part ({@link Swarm#checkFloods}). */
    @Override
    public void check(NetworkRecord network, Findings findings) {
        String vxlan = LinkNames.vxlan(network.networkId());
        findings.expect(links.exists(vxlan), "vxlan", vxlan + " id " + vni(network), vxlan
                + " is missing: the network's containers here are cut off", Findings.RESTART_PLUGIN);
        if (OverlayEncryption.asked(network)) {
            findings.expect(links.exists(OverlayEncryption.DEVICE), "wireguard", OverlayEncryption.DEVICE,
                    OverlayEncryption.DEVICE + " is missing: encrypted networks reach no other node", Findings.RESTART_PLUGIN);
        }
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        String vxlan = LinkNames.vxlan(network.networkId());
        expected.add(vxlan);
        int repairs = 0;
        if (OverlayEncryption.asked(network)) {
            expected.add(OverlayEncryption.DEVICE);
            try {
                repairs += encryption.reconcile(network.mtu());
            } catch (PluginException e) {
                // The other networks still start; what the kernel holds of this one is kept as it is.
                log.error("reconcile: encrypted overlay network {} left as it is: {}", network.networkId(), e.getMessage());
                return repairs;
            }
        }
        if (!links.exists(vxlan)) {
            log.warn("reconcile: vxlan {} of overlay network {} is missing; re-creating it", vxlan, network.networkId());
            addVxlan(network, vxlan);
            repairs++;
        }
        links.setUp(vxlan);
        peers.get().forEach(p -> peerJoined(network, p));
        return repairs;
    }

    /** Flooding to a node that has the network (a node that joined the swarm, or one the engine lists). */
    void peerJoined(NetworkRecord network, IPAddress peer) {
        String vxlan = LinkNames.vxlan(network.networkId());
        if (OverlayEncryption.asked(network)) {
            encryption.peerJoined(network.networkId(), peer);
            KernelException.ignoringExisting(() -> links.appendFlood(vxlan, OverlayEncryption.tunnelAddress(peer)));
        } else {
            KernelException.ignoringExisting(() -> links.appendFlood(vxlan, peer));
        }
    }

    /** No more flooding to a node that left; an encrypted network's last one leaves the WireGuard device too. */
    void peerLeft(NetworkRecord network, IPAddress peer) {
        String vxlan = LinkNames.vxlan(network.networkId());
        if (OverlayEncryption.asked(network)) {
            links.removeFlood(vxlan, OverlayEncryption.tunnelAddress(peer));
            encryption.peerLeft(network.networkId(), peer);
        } else {
            links.removeFlood(vxlan, peer);
        }
    }

    /** A new swarm secret, if the file changed: see {@link OverlayEncryption#rekey}. */
    void rekey() {
        encryption.rekey();
    }
}
