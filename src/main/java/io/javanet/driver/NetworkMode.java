package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.JoinResponse;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.firewall.RoutedLink;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.Subnet;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one network mode is: the options it takes, its part of the network record, what it makes on the host and
 * tells Docker for its networks and their endpoints, how it repairs and checks them. The driver keeps what every
 * mode shares (IDs, repeated calls, the store transaction, published ports) and hands the rest to the network's
 * mode. A new mode is a class implementing this and a {@link io.javanet.net.Mode} constant, which
 * {@link NetworkModes} maps to it.
 */
public interface NetworkMode {

    /** The {@code -o} keys this mode takes beyond those every mode takes; another mode's network refuses them. */
    Set<String> optionKeys();

    /**
     * This mode's options, from the {@code -o} ones, checked (each error names its option) and with their defaults:
     * the mode's part of the network record, as {@link ModeSection} writes it.
     */
    Map<String, String> parseOptions(Map<String, String> generic);

    /** Whether Docker should reserve a gateway address of the network's IPv4 or IPv6 subnets (GwAllocCheck). */
    boolean usesSubnetGateway(NetworkOptions options, boolean ipv6);

    /**
     * The network as it will be made, after the mode's own checks against the request and the networks that
     * exist: conflicts are refused naming the option, values the mode chooses itself are filled in its section.
     */
    NetworkRecord prepare(NetworkRecord asked, List<NetworkRecord> existing);

    /** The link the network sits on, as {@code docker javanet ls} shows it: its bridge, parent or device; or none. */
    String link(NetworkRecord network);

    /** The mode's variant, as {@code docker javanet ls} shows it after the mode (a macvlan mode…), or empty. */
    default String variant(NetworkRecord network) {
        return "";
    }

    /** The link a create makes, recorded as an intent first so that a crash part-way leaves nothing behind. */
    Optional<String> linkMadeAtCreate(NetworkRecord network);

    /** Makes what the network needs on the host, each step recorded in {@code undo}. */
    void create(NetworkRecord network, UndoLog undo);

    /** Undoes {@link #create} except for links, and returns the links to delete (none of them endpoints'). */
    List<String> remove(NetworkRecord network, List<EndpointRecord> endpoints, List<NetworkRecord> others);

    /** The host end of an endpoint's link, and the end Docker moves into the container: a veth pair's two ends. */
    default EndpointLinks endpointLinks(String endpointId) {
        return new EndpointLinks(LinkNames.hostVeth(endpointId), LinkNames.containerVeth(endpointId));
    }

    /**
     * The MAC the container's interface gets: Docker's when it chose one, else one derived from the IPv4
     * address, or none where the mode cannot give one.
     */
    default Optional<MacAddress> mac(Optional<MacAddress> given, String address) {
        return given.isPresent() || address.isEmpty() ? given
                : Optional.of(MacAddress.fromIpv4(Cidr.parseInterfaceAddress("address", address).getBytes()));
    }

    /** Makes an endpoint's link and what goes with it, each step recorded in {@code undo}. */
    void createEndpoint(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo);

    /** Undoes {@link #createEndpoint} except for the link itself, which the driver deletes. */
    default void removeEndpoint(NetworkRecord network, EndpointRecord endpoint) {
    }

    /**
     * What Docker configures in the container: the interface, its gateways and routes; by default the
     * subnets' own gateways, none on an internal network.
     */
    default JoinResponse join(NetworkRecord network, EndpointRecord endpoint) {
        return subnetGateways(network, endpoint);
    }

    /** The container leaves: what Join put in its namespace goes; by default Join put nothing there. */
    default void leave(NetworkRecord network, EndpointRecord endpoint) {
    }

    /**
     * What Docker names the container's interface after, a number following it (eth0, eth1…): the network's
     * {@code -o com.docker.network.container_iface_prefix}, checked at create, else {@code eth}.
     */
    static String interfacePrefix(NetworkRecord network) {
        return network.generic().getOrDefault(Labels.CONTAINER_IFACE_PREFIX, "eth");
    }

    /** The Join answer naming the subnets' own gateways, none on an internal network. */
    static JoinResponse subnetGateways(NetworkRecord network, EndpointRecord endpoint) {
        String gateway = null;
        String gatewayIpv6 = null;
        if (!network.internal()) {
            for (Subnet subnet : network.subnets()) {
                if (subnet.gateway().isEmpty()) {
                    continue;
                }
                IPAddress gw = subnet.gateway().get();
                if (gw.isIPv4() && gateway == null) {
                    gateway = Cidr.hostText(gw);
                } else if (gw.isIPv6() && gatewayIpv6 == null && !endpoint.addressIpv6().isEmpty()) {
                    gatewayIpv6 = Cidr.hostText(gw);
                }
            }
        }
        return new JoinResponse(new InterfaceName(endpoint.containerIfName(), NetworkMode.interfacePrefix(network)), gateway, gatewayIpv6, null,
                network.internal());
    }

    /** Whether the network's traffic between hosts is encrypted, for the status endpoint. */
    default boolean encrypted(NetworkRecord network) {
        return false;
    }

    /**
     * Whether each endpoint is a veth pair of ours: its host end dies with the container, and {@code -p} ports
     * are published through our firewall. Otherwise the endpoints sit on a LAN of their own.
     */
    default boolean vethEndpoints() {
        return true;
    }

    /**
     * Start-up repair of a network (its endpoints are repaired one by one after it): re-makes what went
     * missing, adds the links it should have to {@code expected}, returns the number of repairs.
     */
    int reconcile(NetworkRecord network, Set<String> expected);

    /** Start-up repair of an endpoint whose link exists; returns the number of repairs. */
    default int repairEndpoint(NetworkRecord network, EndpointRecord endpoint) {
        return 0;
    }

    /**
     * Read only, for {@code docker javanet doctor}: what the network's mode made on the host, checked against the
     * host as it is now. Endpoints' host links are checked by the caller.
     */
    void check(NetworkRecord network, Findings findings);

    /** Read only, as {@link #check}: an endpoint whose host link exists (a veth endpoint's, on the host). */
    default void checkEndpoint(NetworkRecord network, EndpointRecord endpoint, Findings findings) {
    }

    /** How the network publishes its containers' ports; by default on every host address, through NAT. */
    default Publishing publishing(NetworkRecord network) {
        return Publishing.NAT;
    }

    /** Refuses {@code -p} ports on a network that cannot publish them; by default every veth network can. */
    default void checkPublishing(NetworkRecord network) {
    }

    /** Whether the network sits on a LAN the host is on (its parent's), so that its subnet holds host addresses. */
    default boolean onParentLan(NetworkRecord network) {
        return false;
    }

    /** What the firewall holds for the network, if anything. */
    default Optional<FirewallNetwork> firewallNetwork(NetworkRecord network) {
        return Optional.empty();
    }

    /** What the firewall holds for each endpoint, if anything. */
    default List<RoutedLink> routedLinks(NetworkRecord network, List<EndpointRecord> endpoints) {
        return List.of();
    }

    /** The two names of an endpoint's link; the same name where the host end is what moves. */
    record EndpointLinks(String host, String container) {

        /** A sub-interface of a parent link, made in our namespace and moved whole into the container. */
        public static EndpointLinks subInterface(String endpointId) {
            String link = LinkNames.subInterface(endpointId);
            return new EndpointLinks(link, link);
        }
    }
}
