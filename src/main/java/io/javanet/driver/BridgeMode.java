package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -o javanet.mode=bridge}, the default: a Linux bridge holding the subnets' gateways, a veth pair per
 * endpoint with its host end on the bridge, isolation, NAT and published ports in our firewall.
 */
final class BridgeMode implements NetworkMode {

    private static final Logger log = LoggerFactory.getLogger(BridgeMode.class);

    private final HostLinks host;
    private final Links links;
    private final BridgePorts ports;

    BridgeMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
        this.ports = new BridgePorts(host.links);
    }

    /** A bridge network's part of its record: the bridge, asked for or named after the network. */
    record Section(String bridgeName) {
    }

    /** The network's bridge; none (null) before {@link #prepare} for a network that did not name one. */
    static String bridge(NetworkRecord network) {
        return ModeSection.read(network, Section.class).bridgeName();
    }

    /** The network's bridge, named {@code bridge}, as it is made: down, with the network's MTU. */
    private static Link bridgeLink(String bridge, NetworkRecord network) {
        return new Link.Bridge(LinkAttrs.of(bridge, network.mtu()));
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(Labels.BRIDGE_NAME);
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        return generic.containsKey(Labels.BRIDGE_NAME)
                ? ModeSection.of(new Section(LinkNames.validate("-o " + Labels.BRIDGE_NAME, generic.get(Labels.BRIDGE_NAME))))
                : Map.of();
    }

    /** The bridge holds the gateway, internal networks' too: the host reaches the containers through it. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options) {
        return true;
    }

    /** The bridge asked for, else one named after the network, neither another network's nor a link there is. */
    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        String named = bridge(asked);
        String bridge = named == null ? LinkNames.bridge(asked.networkId()) : named;
        for (NetworkRecord other : existing) {
            if (other.mode() == asked.mode() && bridge.equals(bridge(other))) {
                throw PluginException.conflict("-o %s: bridge %s is already used by network %s",
                        Labels.BRIDGE_NAME, bridge, other.networkId());
            }
        }
        if (links.exists(bridge)) {
            throw PluginException.conflict("-o %s: a link named %s already exists on the host (network %s)",
                    Labels.BRIDGE_NAME, bridge, asked.networkId());
        }
        return asked.withSection(ModeSection.of(new Section(bridge)));
    }

    @Override
    public String link(NetworkRecord network) {
        return bridge(network);
    }

    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.of(bridge(network));
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        String bridge = bridge(network);
        FirewallNetwork rules = firewallRules(network);
        new SetupSteps()
                .step("bridge " + bridge, () -> links.add(bridgeLink(bridge, network)), () -> links.delete(bridge))
                .step("gateway addresses on " + bridge, () -> gatewayAddresses(network).forEach(gw -> host.addresses.add(bridge, gw)))
                .step("bridge " + bridge + " up", () -> links.setUp(bridge))
                .stepIf(!network.internal(), "forwarding from " + bridge, () -> enableForwarding(network))
                .step("firewall rules of " + bridge, () -> host.firewall.addNetwork(rules),
                        () -> host.firewall.removeNetwork(rules))
                .apply(undo);
    }

    /** Forwarding, and 127.0.0.1 routed out of the bridge for ports published on it. */
    private void enableForwarding(NetworkRecord network) {
        host.enableForwarding(network);
        links.setRouteLocalnet(bridge(network));
    }

    private static List<IPAddress> gatewayAddresses(NetworkRecord network) {
        return network.subnets().stream().flatMap(s -> s.gateway().stream()).toList();
    }

    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of(bridge(network));
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        ports.add(network, endpoint, mac, bridge(network), undo);
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        int repairs = 0;
        String bridge = bridge(network);
        expected.add(bridge);
        if (!links.exists(bridge)) {
            log.warn("reconcile: bridge {} of network {} is missing; re-creating it", bridge, network.networkId());
            links.add(bridgeLink(bridge, network));
            repairs++;
        }
        List<IPAddress> present = host.addresses.addresses(bridge);
        for (IPAddress gateway : gatewayAddresses(network)) {
            if (!present.contains(gateway)) {
                log.warn("reconcile: gateway {} missing on {}; adding it", gateway, bridge);
                host.addresses.add(bridge, gateway);
                repairs++;
            }
        }
        links.setUp(bridge);
        if (!network.internal()) {
            enableForwarding(network);
        }
        return repairs;
    }

    @Override
    public void check(NetworkRecord network, Findings findings) {
        String bridge = bridge(network);
        if (!links.exists(bridge)) {
            findings.fault("bridge", bridge + " is missing: the network's containers are cut off", Findings.RESTART_PLUGIN);
            return;
        }
        findings.ok("bridge", bridge);
        List<IPAddress> present = host.addresses.addresses(bridge);
        for (IPAddress gateway : gatewayAddresses(network)) {
            findings.expect(present.contains(gateway), "gateway", gateway + " on " + bridge,
                    gateway + " is not on " + bridge + ": containers have no way out", Findings.RESTART_PLUGIN);
        }
        if (!network.internal()) {
            host.checkForwarding(network, findings);
        }
    }

    @Override
    public int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        return ports.repair(endpoint, bridge(network));
    }

    @Override
    public void checkEndpoint(NetworkRecord network, EndpointRecord endpoint, Findings findings) {
        ports.check(endpoint, bridge(network), findings);
    }

    @Override
    public Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.of(firewallRules(network));
    }

    private static FirewallNetwork firewallRules(NetworkRecord network) {
        return new FirewallNetwork(bridge(network), network.internal(), HostLinks.pools(network));
    }

}
