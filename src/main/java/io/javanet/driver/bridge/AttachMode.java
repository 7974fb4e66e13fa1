package io.javanet.driver.bridge;

import inet.ipaddr.IPAddress;
import io.javanet.driver.Findings;
import io.javanet.driver.HostLinks;
import io.javanet.driver.Labels;
import io.javanet.driver.ModeSection;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Links;
import io.javanet.net.MacAddress;
import io.javanet.net.Mode;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -o javanet.mode=attach -o parent=BRIDGE [-o javanet.nat=true]}: each endpoint is a veth pair whose host
 * end is a port of a bridge the user made (bridged to a LAN, say), which javanet never makes, changes or deletes.
 * Its containers are on the bridge's own network and use its router, as on a macvlan network. With
 * {@code javanet.nat=true} the network is isolated, masqueraded and can publish ports, as a bridge network of
 * ours; its containers then route through the host, so the bridge must hold the subnets' gateways, and it gets
 * {@code route_localnet}, as our bridges do, for ports published on 127.0.0.1.
 */
public final class AttachMode implements NetworkMode {

    /** Isolation, outbound NAT and published ports, as for a bridge network. */
    static final String NAT = "javanet.nat";

    private static final Logger log = LoggerFactory.getLogger(AttachMode.class);

    private final HostLinks host;
    private final Links links;
    private final BridgePorts ports;

    public AttachMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
        this.ports = new BridgePorts(host.links);
    }

    /** An attached network's part of its record: the user's bridge, and whether it has NAT. */
    record Section(String parent, boolean nat) {
    }

    private static Section section(NetworkRecord network) {
        return ModeSection.read(network, Section.class);
    }

    private static String bridge(NetworkRecord network) {
        return section(network).parent();
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(Labels.PARENT, NAT);
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        return ModeSection.of(new Section(NetworkOptions.requiredParent(generic, Mode.ATTACH,
                "the bridge to attach containers to"), NetworkOptions.flag(generic, NAT)));
    }

    /** Without NAT the gateway is the LAN's router, with NAT the bridge's own address: reserved either way. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        return true;
    }

    /** The bridge must be there, a bridge, not ours; with NAT, hold every subnet's gateway. */
    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        String bridge = bridge(asked);
        Optional<String> kind = links.kind(bridge);
        if (kind.isEmpty()) {
            throw PluginException.invalid("-o %s: there is no link named %s on the host: attach mode uses a bridge you"
                    + " made (ip link add %s type bridge)", Labels.PARENT, bridge, bridge);
        }
        if (!kind.get().equals("bridge")) {
            throw PluginException.invalid("-o %s: %s is a %s link, not a bridge", Labels.PARENT, bridge,
                    kind.get().isEmpty() ? "plain" : kind.get());
        }
        if (links.owned().contains(bridge)) {
            throw PluginException.invalid("-o %s: %s is a bridge javanet made for another network", Labels.PARENT, bridge);
        }
        if (section(asked).nat()) {
            List<IPAddress> held = host.addresses.addresses(bridge);
            for (IPAddress gateway : gateways(asked)) {
                if (!held.contains(gateway)) {
                    throw PluginException.invalid("-o %s: bridge %s does not hold the gateway %s its containers would"
                            + " route through: add it (ip address add %s dev %s), or leave NAT out", NAT, bridge, gateway,
                            gateway, bridge);
                }
            }
        }
        return asked;
    }

    private static List<IPAddress> gateways(NetworkRecord network) {
        return network.subnets().stream().flatMap(s -> s.gateway().stream()).toList();
    }

    @Override
    public String link(NetworkRecord network) {
        return bridge(network);
    }

    @Override
    public String variant(NetworkRecord network) {
        return section(network).nat() ? "nat" : "";
    }

    /** Without NAT the network is the bridge's LAN, as a macvlan network is its parent's. */
    @Override
    public boolean onParentLan(NetworkRecord network) {
        return !section(network).nat();
    }

    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.empty();
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        FirewallNetwork rules = firewallRules(network);
        new SetupSteps()
                .stepIf(section(network).nat() && !network.internal(), "forwarding from " + bridge(network),
                        () -> enableForwarding(network))
                .step("firewall rules of " + bridge(network), () -> host.firewall.addNetwork(rules),
                        () -> host.firewall.removeNetwork(rules))
                .apply(undo);
    }

    /** The firewall's rules go; the bridge stays, the user's. */
    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of();
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        ports.add(network, endpoint, mac, bridge(network), false, undo);
    }

    @Override
    public void checkPublishing(NetworkRecord network) {
        if (!section(network).nat()) {
            throw PluginException.invalid("-p: network %s is attached to %s without NAT, where nothing is published;"
                    + " reach its containers on the bridge's network, or make the network with -o %s=true",
                    network.networkId(), bridge(network), NAT);
        }
    }

    /** A bridge that went missing is the user's to make again: ours to put the veths back on once it is there. */
    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        if (!links.exists(bridge(network))) {
            log.warn("reconcile: bridge {} that network {} attaches to is missing; javanet does not make it",
                    bridge(network), network.networkId());
            return 0;
        }
        if (section(network).nat() && !network.internal()) {
            enableForwarding(network);
        }
        return 0;
    }

    /** As for a bridge network: forwarding, and 127.0.0.1 routed out of the bridge for ports published on it. */
    private void enableForwarding(NetworkRecord network) {
        host.enableForwarding(network);
        links.setRouteLocalnet(bridge(network));
    }

    @Override
    public int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        return links.exists(bridge(network)) ? ports.repair(endpoint, bridge(network), false) : 0;
    }

    @Override
    public void check(NetworkRecord network, Findings findings) {
        String bridge = bridge(network);
        if (!links.exists(bridge)) {
            findings.fault("bridge", bridge + " is missing: the network's containers are cut off", "make the bridge"
                    + " again (javanet never makes it), then " + Findings.RESTART_PLUGIN);
            return;
        }
        findings.ok("bridge", bridge + " (the user's)");
        if (section(network).nat() && !network.internal()) {
            host.checkForwarding(network, findings);
        }
    }

    @Override
    public void checkEndpoint(NetworkRecord network, EndpointRecord endpoint, Findings findings) {
        ports.check(endpoint, bridge(network), findings);
    }

    @Override
    public Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.of(firewallRules(network));
    }

    /**
     * With NAT, the rules of a bridge network; without, only the marks that let the bridge's frames to and from our
     * veths past Docker's forward policy where bridged frames meet the host's firewall (br_netfilter).
     */
    private static FirewallNetwork firewallRules(NetworkRecord network) {
        return section(network).nat() ? new FirewallNetwork(bridge(network), network.internal(), HostLinks.pools(network))
                : FirewallNetwork.attached(bridge(network));
    }
}
