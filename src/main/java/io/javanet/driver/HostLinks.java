package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.api.PluginException;
import io.javanet.firewall.Firewall;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.firewall.RoutedLink;
import io.javanet.ipam.Cidr;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.KernelException;
import io.javanet.kernel.Links;
import io.javanet.kernel.MacAddress;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.Sysctls;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.NetworkRecord.Subnet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each mode makes on the host for a network or an endpoint: a veth on a bridge, a routed veth with its
 * gateway, proxy ARP, route and rules, a macvlan or ipvlan on a parent, a VLAN parent; and the forwarding
 * switches a network needs. The driver decides when; this class knows how, through the kernel interfaces.
 */
final class HostLinks {

    private static final Logger log = LoggerFactory.getLogger(HostLinks.class);

    private final Links links;
    private final Addresses addresses;
    private final RouteTable routes;
    private final Sysctls sysctls;
    private final Firewall firewall;

    HostLinks(Links links, Addresses addresses, RouteTable routes, Sysctls sysctls, Firewall firewall) {
        this.links = links;
        this.addresses = addresses;
        this.routes = routes;
        this.sysctls = sysctls;
        this.firewall = firewall;
    }

    /**
     * The link of an endpoint: a veth pair on the bridge; a veth pair routed by the host; or a macvlan or ipvlan
     * sub-interface of the parent.
     */
    void makeEndpointLink(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String link = endpoint.hostIfName();
        if (network.isBridge()) {
            links.addVeth(link, endpoint.containerIfName(), network.mtu(), mac);
            undo.done("veth " + link, () -> links.delete(link));
            try {
                links.setMaster(link, network.bridgeName());
            } catch (KernelException e) {
                if ("EXFULL".equals(e.errno())) {
                    throw PluginException.conflict("network %s is full: its bridge %s has the 1024 ports the kernel allows"
                            + " a bridge (a routed network has no such limit)", network.networkId(), network.bridgeName());
                }
                throw e;
            }
            links.setUp(link);
        } else if (network.isRouted()) {
            makeRoutedVeth(network, endpoint, mac, undo);
        } else if (network.isIpvlan()) {
            int mtu = network.generic().containsKey(Labels.MTU) ? network.mtu() : 0;
            links.addIpvlan(link, network.parent(), mtu, network.subMode());
            undo.done("ipvlan " + link, () -> links.delete(link));
        } else {
            // The parent's MTU unless one was asked for: a macvlan cannot exceed its parent's.
            int mtu = network.generic().containsKey(Labels.MTU) ? network.mtu() : 0;
            links.addMacvlan(link, network.parent(), mtu, network.subMode(), mac);
            undo.done("macvlan " + link, () -> links.delete(link));
        }
    }

    /**
     * The host end answers ARP for the whole subnet (proxy ARP) and holds the link-local gateway; the host
     * routes the container's one address through it.
     */
    private void makeRoutedVeth(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
        String link = endpoint.hostIfName();
        links.addVeth(link, endpoint.containerIfName(), network.mtu(), mac);
        undo.done("veth " + link, () -> links.delete(link));
        links.setUp(link);
        links.setProxyArp(link);
        if (!network.internal()) {
            addresses.add(link, Cidr.parseInterfaceAddress("gateway", network.routedGateway() + "/32"));
            links.setRouteLocalnet(link);
        }
        if (!endpoint.address().isEmpty()) {
            routes.addOnLinkRoute(hostAddress(endpoint.address()), link);
        }
        RoutedLink rules = routedLink(network, endpoint);
        firewall.addRoutedLink(rules);
        undo.done("firewall rules of " + link, () -> firewall.removeRoutedLink(rules));
    }

    void makeVlanParent(String parent, VlanParent vlan) {
        try {
            links.addVlan(parent, vlan.base(), vlan.id());
        } catch (KernelException e) {
            throw PluginException.invalid("-o %s: cannot make %s, VLAN %d on %s (%s)", Labels.PARENT, parent,
                    vlan.id(), vlan.base(), e.getMessage());
        }
        links.setUp(parent);
        log.info("made VLAN parent {}: 802.1q id {} on {}", parent, vlan.id(), vlan.base());
    }

    /**
     * Makes and removes an ipvlan on the parent, so that a kernel without ipvlan, or a parent that cannot carry
     * one, is refused at {@code docker network create} rather than at the first {@code docker run}.
     */
    void probeIpvlan(NetworkRecord network) {
        if (!network.isIpvlan()) {
            return;
        }
        String probe = LinkNames.probe(network.networkId());
        try {
            links.addIpvlan(probe, network.parent(), 0, network.subMode());
        } catch (KernelException e) {
            throw PluginException.invalid("-o %s=ipvlan: this host cannot make an ipvlan on %s (%s)", Labels.MODE,
                    network.parent(), e.getMessage());
        }
        deleteLink(probe);
    }

    void enableForwarding(NetworkRecord network) {
        ensureSysctl("net/ipv4/ip_forward", "traffic leaving the host from network " + network.networkId()
                + " is not forwarded");
        if (network.subnets().stream().anyMatch(s -> s.pool().contains(":"))) {
            ensureSysctl("net/ipv6/conf/all/forwarding", "IPv6 traffic leaving the host is not forwarded");
        }
        if (network.isBridge()) {
            links.setRouteLocalnet(network.bridgeName());
        }
    }

    /**
     * Sets a forwarding switch to 1 unless it already is (Docker sets them at its start). Where it cannot be
     * written (a managed plugin sees /proc/sys read-only) the network still works within the host, so this is a
     * warning, not a failure.
     */
    private void ensureSysctl(String key, String consequence) {
        if ("1".equals(sysctls.sysctl(key))) {
            return;
        }
        try {
            sysctls.setSysctl(key, "1");
        } catch (KernelException e) {
            log.warn("cannot set {}=1 ({}): {}", key.replace('/', '.'), e.getMessage(), consequence);
        }
    }

    void deleteLink(String name) {
        LinkRemoval.deleteIfPresent(links, name);
    }

    static FirewallNetwork firewallNetwork(NetworkRecord network) {
        return new FirewallNetwork(network.bridgeName(), network.internal(),
                network.subnets().stream().map(Subnet::pool).toList());
    }

    static RoutedLink routedLink(NetworkRecord network, EndpointRecord endpoint) {
        return new RoutedLink(endpoint.hostIfName(), network.internal(),
                network.subnets().stream().map(Subnet::pool).toList());
    }

    /** An endpoint's address as the host routes it: the one address, /32 or /128. */
    static IPAddress hostAddress(String address) {
        IPAddress host = Cidr.parseInterfaceAddress("address", address);
        return host.setPrefixLength(host.getBitCount(), false);
    }
}
