package io.javanet.driver.routed;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.StaticRoute;
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
import io.javanet.firewall.RoutedLink;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Link;
import io.javanet.kernel.LinkAttrs;
import io.javanet.kernel.Links;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.Mode;
import io.javanet.net.Subnet;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -o javanet.mode=routed}: no bridge. Each endpoint is a veth pair whose host end holds the network's
 * link-local gateway and answers ARP for the subnet; the host routes the container's address through it, so
 * everything the container sends crosses the host's routing table and firewall.
 */
public final class RoutedMode implements NetworkMode {

    private static final Logger log = LoggerFactory.getLogger(RoutedMode.class);

    /**
     * A routed network's gateway is 169.254.N.1, held by the host end of each of its veths: link-local, so it
     * takes nothing from the network's subnet, and N differs per network, because a container on two routed
     * networks needs an on-link route to each gateway through its own interface.
     */
    private static final String GATEWAY_FORMAT = "169.254.%d.1";
    /** 169.254.169.254 is where clouds answer metadata requests; no gateway of ours is put in that /24. */
    private static final int CLOUD_METADATA_THIRD_OCTET = 169;

    private final HostLinks host;
    private final Links links;

    public RoutedMode(HostLinks host) {
        this.host = host;
        this.links = host.links;
    }

    /** A routed network's part of its record: the link-local gateway its containers reach through their veth. */
    record Section(String routedGateway) {
    }

    private static String gateway(NetworkRecord network) {
        return ModeSection.read(network, Section.class).routedGateway();
    }

    @Override
    public Set<String> optionKeys() {
        return Set.of();
    }

    @Override
    public Map<String, String> parseOptions(Map<String, String> generic) {
        return Map.of();
    }

    @Override
    public String link(NetworkRecord network) {
        return "";
    }

    /** The gateway is link-local and our own: Docker need reserve none of the subnet's addresses. */
    @Override
    public boolean usesSubnetGateway(NetworkOptions options, boolean ipv6) {
        return false;
    }

    @Override
    public NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing) {
        if (asked.subnets().stream().anyMatch(Subnet::isIpv6)) {
            // Docker gives each container its address with the pool's prefix: IPv4 neighbours are answered by the
            // host veth's proxy ARP, while IPv6 would need one NDP proxy entry per address per veth.
            throw PluginException.invalid("IPv6Data: routed networks are IPv4 only; use bridge mode for IPv6");
        }
        return asked.withSection(ModeSection.of(new Section(freeGateway(existing))));
    }

    private static String freeGateway(List<NetworkRecord> existing) {
        Set<String> taken = new HashSet<>();
        existing.stream().filter(n -> n.mode() == Mode.ROUTED).forEach(n -> taken.add(gateway(n)));
        for (int n = 1; n <= 254; n++) {
            String gateway = String.format(Locale.ROOT, GATEWAY_FORMAT, n);
            if (n != CLOUD_METADATA_THIRD_OCTET && !taken.contains(gateway)) {
                return gateway;
            }
        }
        throw PluginException.conflict("-o %s=routed: all 253 link-local gateways are in use by routed networks",
                Labels.MODE);
    }

    /** A routed network is its NAT until endpoints come: each brings its own veth, routes and rules. */
    @Override
    public Optional<String> linkMadeAtCreate(NetworkRecord network) {
        return Optional.empty();
    }

    @Override
    public void create(NetworkRecord network, UndoLog undo) {
        FirewallNetwork rules = firewallRules(network);
        new SetupSteps()
                .stepIf(!network.internal(), "forwarding", () -> host.enableForwarding(network))
                .stepIf(!network.internal(), "NAT of " + network.subnets(), () -> host.firewall.addNetwork(rules),
                        () -> host.firewall.removeNetwork(rules))
                .apply(undo);
    }

    @Override
    public List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others) {
        host.firewall.removeNetwork(firewallRules(network));
        return List.of();
    }

    /**
     * The host end answers ARP for the whole subnet (proxy ARP) and holds the link-local gateway; the host
     * routes the container's one address through it.
     */
    @Override
    public void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String veth = endpoint.hostIfName();
        RoutedLink rules = routedLink(network, endpoint);
        boolean external = !network.internal();
        new SetupSteps()
                .step("veth " + veth, () -> links.add(new Link.Veth(LinkAttrs.of(veth, network.mtu()), endpoint.containerIfName(), mac)),
                        () -> links.delete(veth))
                .step(veth + " up", () -> links.setUp(veth))
                .step("proxy ARP on " + veth, () -> links.setProxyArp(veth))
                .stepIf(external, "gateway " + gateway(network) + " on " + veth, () -> host.addresses.add(veth,
                        Cidr.parseInterfaceAddress("gateway", gateway(network) + "/32")))
                .stepIf(external, "127.0.0.1 routed out of " + veth, () -> links.setRouteLocalnet(veth))
                .stepIf(!endpoint.address().isEmpty(), "route to " + endpoint.address(),
                        () -> host.routes.addOnLinkRoute(HostLinks.hostAddress(endpoint.address()), veth))
                .step("firewall rules of " + veth, () -> host.firewall.addRoutedLink(rules),
                        () -> host.firewall.removeRoutedLink(rules))
                .apply(undo);
    }

    @Override
    public void removeEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        host.firewall.removeRoutedLink(routedLink(network, endpoint));
    }

    /** The container's only neighbour is the host: its gateway is on-link through the veth. */
    @Override
    public JoinResponse join(NetworkRecord network, EndpointRecord endpoint) {
        InterfaceName name = new InterfaceName(endpoint.containerIfName(), NetworkMode.interfacePrefix(network));
        return network.internal()
                ? new JoinResponse(name, null, null, null, true)
                : new JoinResponse(name, gateway(network), null,
                        List.of(new StaticRoute(gateway(network) + "/32", StaticRoute.CONNECTED, null)), false);
    }

    @Override
    public int reconcile(NetworkRecord network, Set<String> expected) {
        if (!network.internal()) {
            host.enableForwarding(network);
        }
        return 0;
    }

    @Override
    public int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        if (endpoint.address().isEmpty()) {
            return 0;
        }
        try {
            host.routes.addOnLinkRoute(HostLinks.hostAddress(endpoint.address()), endpoint.hostIfName());
            log.warn("reconcile: route to {} via {} was missing; added it", endpoint.address(), endpoint.hostIfName());
            return 1;
        } catch (KernelException e) {
            if (!e.isExists()) {
                throw e;
            }
            return 0;
        }
    }

    @Override
    public void check(NetworkRecord network, Findings findings) {
        if (!network.internal()) {
            host.checkForwarding(network, findings);
        }
    }

    /** The container's one address routed through its veth, as {@link #repairEndpoint} would make it. */
    @Override
    public void checkEndpoint(NetworkRecord network, EndpointRecord endpoint, Findings findings) {
        if (endpoint.address().isEmpty()) {
            return;
        }
        IPAddress address = HostLinks.hostAddress(endpoint.address());
        findings.expect(host.routes.routesVia(endpoint.hostIfName()).contains(address), "route",
                address + " via " + endpoint.hostIfName(), "no route to " + address + " via " + endpoint.hostIfName()
                        + ": the host cannot reach the container", Findings.RESTART_PLUGIN);
    }

    @Override
    public Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.of(firewallRules(network));
    }

    /** The network's NAT only: it has no bridge. */
    private static FirewallNetwork firewallRules(NetworkRecord network) {
        return new FirewallNetwork("", network.internal(), HostLinks.pools(network));
    }

    @Override
    public List<RoutedLink> routedLinks(NetworkRecord network, List<EndpointRecord> endpoints) {
        return endpoints.stream().map(e -> routedLink(network, e)).toList();
    }

    private static RoutedLink routedLink(NetworkRecord network, EndpointRecord endpoint) {
        return new RoutedLink(endpoint.hostIfName(), network.internal(), HostLinks.pools(network));
    }
}
