package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.failure.PluginException;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Errno;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
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

    BridgeMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
    }

    /** The bridge holds the gateway, internal networks' too: the host reaches the containers through it. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options) {
        return true;
    }

    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        refuseTakenBridge(asked, existing);
        if (links.exists(asked.bridgeName())) {
            throw PluginException.conflict("-o %s: a link named %s already exists on the host (network %s)",
                    Labels.BRIDGE_NAME, asked.bridgeName(), asked.networkId());
        }
        return asked;
    }

    /** Refuses a bridge name another network of ours has. */
    private static void refuseTakenBridge(NetworkRecord asked, List<NetworkRecord> existing) {
        for (NetworkRecord other : existing) {
            if (other.bridgeName().equals(asked.bridgeName())) {
                throw PluginException.conflict("-o %s: bridge %s is already used by network %s",
                        Labels.BRIDGE_NAME, asked.bridgeName(), other.networkId());
            }
        }
    }

    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.of(network.bridgeName());
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        String bridge = network.bridgeName();
        FirewallNetwork rules = firewallRules(network);
        new SetupSteps()
                .step("bridge " + bridge, () -> links.addBridge(bridge, network.mtu()), () -> links.delete(bridge))
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
        links.setRouteLocalnet(network.bridgeName());
    }

    private static List<IPAddress> gatewayAddresses(NetworkRecord network) {
        return network.subnets().stream().flatMap(s -> s.gateway().stream()).toList();
    }

    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of(network.bridgeName());
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String veth = endpoint.hostIfName();
        new SetupSteps()
                .step("veth " + veth + " on " + network.bridgeName(), () -> addVethOnBridge(network, endpoint, mac),
                        () -> links.delete(veth))
                .apply(undo);
    }

    private void addVethOnBridge(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac) {
        try {
            links.addVethOnBridge(endpoint.hostIfName(), endpoint.containerIfName(), network.mtu(), mac, network.bridgeName());
        } catch (KernelException e) {
            if (e.errno().equals(Errno.EXFULL)) {
                throw PluginException.conflict("network %s is full: its bridge %s has the 1024 ports the kernel allows"
                        + " a bridge (a routed network has no such limit)", network.networkId(), network.bridgeName());
            }
            throw e;
        }
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        int repairs = 0;
        String bridge = network.bridgeName();
        expected.add(bridge);
        if (!links.exists(bridge)) {
            log.warn("reconcile: bridge {} of network {} is missing; re-creating it", bridge, network.networkId());
            links.addBridge(bridge, network.mtu());
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
        String bridge = network.bridgeName();
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

    /** An endpoint's veth found off its network's bridge (someone's nomaster, a re-made bridge) is put back. */
    @Override
    public int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        String veth = endpoint.hostIfName();
        if (links.master(veth).equals(Optional.of(network.bridgeName()))) {
            return 0;
        }
        log.warn("reconcile: veth {} was not on bridge {}; putting it back", veth, network.bridgeName());
        links.setMaster(veth, network.bridgeName());
        links.setUp(veth);
        return 1;
    }

    @Override
    public void checkEndpoint(NetworkRecord network, EndpointRecord endpoint, Findings findings) {
        Optional<String> master = links.master(endpoint.hostIfName());
        findings.expect(master.equals(Optional.of(network.bridgeName())), "on the bridge",
                endpoint.hostIfName() + " on " + network.bridgeName(), endpoint.hostIfName() + " is "
                        + master.map(m -> "on " + m).orElse("on no bridge") + ", not on " + network.bridgeName(),
                Findings.RESTART_PLUGIN);
    }

    @Override
    public Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.of(firewallRules(network));
    }

    private static FirewallNetwork firewallRules(NetworkRecord network) {
        return new FirewallNetwork(network.bridgeName(), network.internal(), HostLinks.pools(network));
    }

}
