package io.javanet.driver.bridge;

import inet.ipaddr.IPAddress;
import io.javanet.driver.Findings;
import io.javanet.driver.HostLinks;
import io.javanet.driver.LinkNames;
import io.javanet.driver.ModeSection;
import io.javanet.driver.NetworkMode;
import io.javanet.driver.NetworkOptions;
import io.javanet.driver.Publishing;
import io.javanet.driver.SetupSteps;
import io.javanet.driver.UndoLog;
import io.javanet.failure.PluginException;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.Cidr;
import io.javanet.net.GatewayMode;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.Arrays;
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
public final class BridgeMode implements NetworkMode {

    public static final String BRIDGE_NAME = "com.docker.network.bridge.name";
    /** Docker's bridge driver's options, which a bridge network honours as that driver does. */
    public static final String ENABLE_ICC = "com.docker.network.bridge.enable_icc";
    public static final String ENABLE_IP_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    public static final String HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";
    public static final String INHIBIT_IPV4 = "com.docker.network.bridge.inhibit_ipv4";
    public static final String GATEWAY_MODE_IPV4 = "com.docker.network.bridge.gateway_mode_ipv4";
    public static final String GATEWAY_MODE_IPV6 = "com.docker.network.bridge.gateway_mode_ipv6";
    public static final String TRUSTED_HOST_INTERFACES = "com.docker.network.bridge.trusted_host_interfaces";
    public static final String HOST_IPV4 = "com.docker.network.host_ipv4";
    public static final String HOST_IPV6 = "com.docker.network.host_ipv6";

    private static final Logger log = LoggerFactory.getLogger(BridgeMode.class);

    private final HostLinks host;
    private final Links links;
    private final BridgePorts ports;

    public BridgeMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
        this.ports = new BridgePorts(host.links);
    }

    /**
     * A bridge network's part of its record: the bridge, asked for or named after the network, and Docker's bridge
     * options as given, else Docker's defaults (which a record of a javanet that took none of them reads as).
     *
     * @param icc                   whether containers reach each other ({@code enable_icc})
     * @param masquerade            {@code enable_ip_masquerade}
     * @param inhibitIpv4           no IPv4 address on the bridge ({@code inhibit_ipv4})
     * @param hostBindingIpv4       the host address of ports published naming none, empty for all
     * @param hostIpv4              the source address of masqueraded IPv4 traffic, empty for the outgoing link's
     * @param trustedHostInterfaces host links that reach the containers directly, as the bridge does, ':' between
     */
    record Section(String bridgeName, Boolean icc, Boolean masquerade, Boolean inhibitIpv4, GatewayMode gatewayModeIpv4,
                   GatewayMode gatewayModeIpv6, String hostBindingIpv4, String hostIpv4, String hostIpv6,
                   String trustedHostInterfaces) {

        Section {
            icc = icc == null || icc;
            masquerade = masquerade == null || masquerade;
            inhibitIpv4 = inhibitIpv4 != null && inhibitIpv4;
            gatewayModeIpv4 = gatewayModeIpv4 == null ? GatewayMode.NAT : gatewayModeIpv4;
            gatewayModeIpv6 = gatewayModeIpv6 == null ? GatewayMode.NAT : gatewayModeIpv6;
            hostBindingIpv4 = hostBindingIpv4 == null ? "" : hostBindingIpv4;
            hostIpv4 = hostIpv4 == null ? "" : hostIpv4;
            hostIpv6 = hostIpv6 == null ? "" : hostIpv6;
            trustedHostInterfaces = trustedHostInterfaces == null ? "" : trustedHostInterfaces;
        }

        Section withBridge(String bridge) {
            return new Section(bridge, icc, masquerade, inhibitIpv4, gatewayModeIpv4, gatewayModeIpv6, hostBindingIpv4,
                    hostIpv4, hostIpv6, trustedHostInterfaces);
        }

        GatewayMode gatewayMode(boolean ipv6) {
            return ipv6 ? gatewayModeIpv6 : gatewayModeIpv4;
        }

        /** Whether the bridge holds the family's gateway address. */
        boolean holdsGateway(boolean ipv6) {
            return gatewayMode(ipv6) != GatewayMode.ISOLATED && (ipv6 || !inhibitIpv4);
        }

        FirewallNetwork.Family family(boolean ipv6) {
            GatewayMode mode = gatewayMode(ipv6);
            String snat = ipv6 ? hostIpv6 : hostIpv4;
            return new FirewallNetwork.Family(mode, masquerade && (mode == GatewayMode.NAT || mode == GatewayMode.NAT_UNPROTECTED),
                    snat.isEmpty() ? Optional.empty() : Optional.of(Cidr.parseHost("snat", snat)));
        }

        List<String> trustedInterfaces() {
            return trustedHostInterfaces.isEmpty() ? List.of() : List.of(trustedHostInterfaces.split(":"));
        }
    }

    private static Section section(NetworkRecord network) {
        return ModeSection.read(network, Section.class);
    }

    /** The network's bridge; none (null) before {@link #prepare} for a network that did not name one. */
    static String bridge(NetworkRecord network) {
        return section(network).bridgeName();
    }

    /** The network's bridge, named {@code bridge}, as it is made: down, with the network's MTU. */
    private static Link bridgeLink(String bridge, NetworkRecord network) {
        return new Link.Bridge(LinkAttrs.of(bridge, network.mtu()));
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of(BridgeMode.BRIDGE_NAME, BridgeMode.ENABLE_ICC, BridgeMode.ENABLE_IP_MASQUERADE, BridgeMode.INHIBIT_IPV4,
                BridgeMode.GATEWAY_MODE_IPV4, BridgeMode.GATEWAY_MODE_IPV6, BridgeMode.HOST_BINDING_IPV4, BridgeMode.HOST_IPV4,
                BridgeMode.HOST_IPV6, BridgeMode.TRUSTED_HOST_INTERFACES);
    }

    /** Docker's bridge options, read as Docker's bridge driver reads them, each error naming its option. */
    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        String bridge = generic.containsKey(BridgeMode.BRIDGE_NAME)
                ? LinkNames.validate("-o " + BridgeMode.BRIDGE_NAME, generic.get(BridgeMode.BRIDGE_NAME)) : null;
        return ModeSection.of(new Section(bridge,
                NetworkOptions.dockerFlag(generic, BridgeMode.ENABLE_ICC, true),
                NetworkOptions.dockerFlag(generic, BridgeMode.ENABLE_IP_MASQUERADE, true),
                NetworkOptions.dockerFlag(generic, BridgeMode.INHIBIT_IPV4, false),
                gatewayMode(generic, BridgeMode.GATEWAY_MODE_IPV4), gatewayMode(generic, BridgeMode.GATEWAY_MODE_IPV6),
                address(generic, BridgeMode.HOST_BINDING_IPV4, null), address(generic, BridgeMode.HOST_IPV4, false),
                address(generic, BridgeMode.HOST_IPV6, true), trustedInterfaces(generic)));
    }

    private static GatewayMode gatewayMode(Map<String, String> generic, String key) {
        String value = generic.getOrDefault(key, GatewayMode.NAT.wireName());
        return GatewayMode.parse(value).orElseThrow(() -> PluginException.invalid("-o %s: unknown gateway mode \"%s\" (supported: %s)",
                key, value, String.join(", ", Arrays.stream(GatewayMode.values()).map(GatewayMode::wireName).toList())));
    }

    /** An address option, of the family {@code ipv6} says (either when null); empty when not given. */
    private static String address(Map<String, String> generic, String key, Boolean ipv6) {
        if (!generic.containsKey(key)) {
            return "";
        }
        IPAddress address = Cidr.parseHost("-o " + key, generic.get(key));
        if (ipv6 != null && address.isIPv6() != ipv6) {
            throw PluginException.invalid("-o %s: %s is not an %s address", key, generic.get(key), ipv6 ? "IPv6" : "IPv4");
        }
        return Cidr.hostText(address);
    }

    /** Link names with ':' between them, as Docker takes them. */
    private static String trustedInterfaces(Map<String, String> generic) {
        String value = generic.getOrDefault(BridgeMode.TRUSTED_HOST_INTERFACES, "");
        List<String> names = Arrays.stream(value.split(":")).filter(n -> !n.isEmpty()).toList();
        names.forEach(n -> LinkNames.validate("-o " + BridgeMode.TRUSTED_HOST_INTERFACES, n));
        return String.join(":", names);
    }

    /**
     * The bridge holds the gateway, internal networks' too: the host reaches the containers through it; not an
     * isolated family's, nor an internal network's inhibited IPv4 one, which no container would route through.
     */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        Section section = ModeSection.read(options.section(), Section.class);
        return section.gatewayMode(ipv6) != GatewayMode.ISOLATED && (ipv6 || !(section.inhibitIpv4() && options.internal()));
    }

    /**
     * The bridge asked for, else one named after the network, neither another network's nor a link there is; an
     * isolated gateway only on an internal network, as Docker's bridge has it.
     */
    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        Section section = section(asked);
        for (boolean ipv6 : new boolean[] {false, true}) {
            if (section.gatewayMode(ipv6) == GatewayMode.ISOLATED && !asked.internal()) {
                throw PluginException.invalid("-o %s=%s: only for an internal network (--internal)",
                        ipv6 ? BridgeMode.GATEWAY_MODE_IPV6 : BridgeMode.GATEWAY_MODE_IPV4, GatewayMode.ISOLATED);
            }
        }
        String named = section.bridgeName();
        String bridge = named == null ? LinkNames.bridge(asked.networkId()) : named;
        for (NetworkRecord other : existing) {
            if (other.mode() == asked.mode() && bridge.equals(bridge(other))) {
                throw PluginException.conflict("-o %s: bridge %s is already used by network %s",
                        BridgeMode.BRIDGE_NAME, bridge, other.networkId());
            }
        }
        if (links.exists(bridge)) {
            throw PluginException.conflict("-o %s: a link named %s already exists on the host (network %s)",
                    BridgeMode.BRIDGE_NAME, bridge, asked.networkId());
        }
        return asked.withSection(ModeSection.of(section.withBridge(bridge)));
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

    /** The subnets' gateways the bridge holds: not an isolated family's, nor an inhibited IPv4 one. */
    private static List<IPAddress> gatewayAddresses(NetworkRecord network) {
        Section section = section(network);
        return network.subnets().stream().flatMap(s -> s.gateway().stream())
                .filter(gw -> section.holdsGateway(gw.isIPv6())).toList();
    }

    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of(bridge(network));
    }

    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        ports.add(network, endpoint, mac, bridge(network), !section(network).icc(), undo);
    }

    @Override
    public Publishing publishing(NetworkRecord network) {
        Section section = section(network);
        // 0.0.0.0, as Docker's own default reads, is every address of both families.
        Optional<IPAddress> hostIp = section.hostBindingIpv4().isEmpty() ? Optional.empty()
                : Optional.of(Cidr.parseHost("host binding", section.hostBindingIpv4())).filter(ip -> !ip.isZero());
        return new Publishing(hostIp,
                section.gatewayModeIpv4() == GatewayMode.ROUTED, section.gatewayModeIpv6() == GatewayMode.ROUTED);
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
        return ports.repair(endpoint, bridge(network), !section(network).icc());
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
        Section section = section(network);
        return new FirewallNetwork(bridge(network), network.internal(), HostLinks.pools(network),
                new FirewallNetwork.Policy(true, section.icc(), section.family(false), section.family(true),
                        section.trustedInterfaces()));
    }

}
