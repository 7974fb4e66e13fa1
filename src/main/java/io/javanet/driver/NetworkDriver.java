package io.javanet.driver;

import inet.ipaddr.IPAddress;
import io.javanet.api.EmptyResponse;
import io.javanet.api.NetworkDriverApi;
import io.javanet.api.PluginException;
import io.javanet.api.network.AllocateNetworkRequest;
import io.javanet.api.network.AllocateNetworkResponse;
import io.javanet.api.network.CapabilitiesResponse;
import io.javanet.api.network.CreateEndpointRequest;
import io.javanet.api.network.CreateEndpointResponse;
import io.javanet.api.network.CreateNetworkRequest;
import io.javanet.api.network.DiscoveryNotification;
import io.javanet.api.network.EndpointInfoResponse;
import io.javanet.api.network.EndpointInterface;
import io.javanet.api.network.EndpointRequest;
import io.javanet.api.network.ExternalConnectivityRequest;
import io.javanet.api.network.GwAllocCheckRequest;
import io.javanet.api.network.GwAllocCheckResponse;
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.IpamData;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.network.StaticRoute;
import io.javanet.firewall.Firewall;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.ipam.Cidr;
import io.javanet.kernel.Addresses;
import io.javanet.kernel.Links;
import io.javanet.kernel.MacAddress;
import io.javanet.kernel.RouteTable;
import io.javanet.kernel.Sysctls;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.NetworkRecord.Subnet;
import io.javanet.store.PortBinding;
import io.javanet.store.Store;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network driver's decisions: what each call means for the host and for our state. What a mode makes on
 * the host is {@link HostLinks}' business and start-up repair is {@link Reconciler}'s; kernel work goes through
 * the kernel interfaces, firewall work through {@link Firewall}. Each call's state change is one store
 * transaction, made after the kernel work succeeded and before the reply; a failure part-way undoes what the
 * call did.
 */
public final class NetworkDriver implements NetworkDriverApi {

    private static final Logger log = LoggerFactory.getLogger(NetworkDriver.class);

    /**
     * A routed network's gateway is 169.254.N.1, held by the host end of each of its veths: link-local, so it
     * takes nothing from the network's subnet, and N differs per network, because a container on two routed
     * networks needs an on-link route to each gateway through its own interface.
     */
    private static final String ROUTED_GATEWAY_FORMAT = "169.254.%d.1";
    /** 169.254.169.254 is where clouds answer metadata requests; no gateway of ours is put in that /24. */
    private static final int CLOUD_METADATA_THIRD_OCTET = 169;

    private final Store store;
    private final Links links;
    private final Addresses addresses;
    private final Firewall firewall;
    private final LinkRemoval endpointLinkRemoval;
    private final HostLinks hostLinks;
    private final Reconciler reconciler;

    /** A driver that deletes endpoint links within the call. */
    public NetworkDriver(Store store, Links links, Addresses addresses, RouteTable routes, Sysctls sysctls,
                         Firewall firewall) {
        this(store, links, addresses, routes, sysctls, firewall, LinkRemoval.inline(links));
    }

    public NetworkDriver(Store store, Links links, Addresses addresses, RouteTable routes, Sysctls sysctls,
                         Firewall firewall, LinkRemoval endpointLinkRemoval) {
        this.endpointLinkRemoval = endpointLinkRemoval;
        this.hostLinks = new HostLinks(links, addresses, routes, sysctls, firewall);
        this.reconciler = new Reconciler(store, links, addresses, routes, firewall, hostLinks);
        this.store = store;
        this.links = links;
        this.addresses = addresses;
        this.firewall = firewall;
    }

    /**
     * Brings the host back in line with our state, before we serve: after a host reboot, a crash between two
     * steps, or someone deleting a bridge. Re-creates missing bridges, gateway addresses, VLAN parents, routes
     * and not yet joined veths; re-enslaves veths; removes links we made that our state no longer knows;
     * rebuilds the firewall. Each repair is logged; returns how many there were.
     */
    public synchronized int reconcile() {
        return reconciler.reconcile();
    }

    /** Makes the firewall hold exactly what our state says. */
    synchronized void restoreFirewall() {
        reconciler.restoreFirewall();
    }

    /**
     * Endpoints that may be left over from a crash, candidates for {@link #reapLeftovers}: those never joined,
     * and those joined to a container that left or is gone, whose Leave and DeleteEndpoint came while we were
     * down.
     */
    public synchronized List<String> leftoverEndpoints() {
        List<String> ids = new ArrayList<>();
        for (NetworkRecord network : store.read(Store.Tx::networks)) {
            store.read(tx -> tx.endpoints(network.networkId())).stream()
                    .filter(e -> isLeftover(network, e)).forEach(e -> ids.add(e.endpointId()));
        }
        return ids;
    }

    /**
     * Removes those of {@code candidates} that are still leftovers. A CreateEndpoint committed just before a
     * crash loses its reply: Docker counts it failed and never deletes it, while a live endpoint is joined
     * within milliseconds of its creation. And Docker does not repeat a Leave or DeleteEndpoint it could not
     * deliver. So an endpoint still unjoined, or still without its container, for the whole grace period is
     * such a leftover.
     */
    public synchronized int reapLeftovers(List<String> candidates) {
        int reaped = 0;
        for (String id : candidates) {
            Optional<EndpointRecord> endpoint = store.read(tx -> tx.endpoint(id));
            Optional<NetworkRecord> network = endpoint.flatMap(e -> store.read(tx -> tx.network(e.networkId())));
            if (network.isPresent() && isLeftover(network.get(), endpoint.get())) {
                log.warn("removing endpoint {}: {} since before our start (its call was lost in a crash)", id,
                        endpoint.get().sandboxKey() == null ? "never joined" : "its container gone");
                deleteEndpoint(new EndpointRequest(network.get().networkId(), id));
                reaped++;
            }
        }
        return reaped;
    }

    /**
     * Never joined; or joined, but the container end is back in our namespace under its own name (Docker moves
     * it back at Leave), or the host end of a veth is gone (it dies with its container's namespace). A live
     * container's end is in the container, named ethN.
     */
    private boolean isLeftover(NetworkRecord network, EndpointRecord endpoint) {
        return endpoint.sandboxKey() == null || links.exists(endpoint.containerIfName())
                || network.hasVeths() && !links.exists(endpoint.hostIfName());
    }

    @Override
    public CapabilitiesResponse getCapabilities() {
        return new CapabilitiesResponse("local", "local", true);
    }

    /**
     * Routed networks use a link-local gateway of their own and layer 3 ipvlan has none, so Docker need not
     * reserve one of the subnet's addresses for them. Bridge networks, internal ones included, hold the gateway
     * on their bridge (the host reaches its containers through it, as with Docker's bridge); macvlan and layer 2
     * ipvlan networks keep it reserved, since it is the parent LAN's router. Invalid options fail here already,
     * before Docker reserves anything.
     */
    @Override
    public GwAllocCheckResponse gwAllocCheck(GwAllocCheckRequest request) {
        NetworkOptions options = NetworkOptions.parse(request.options());
        boolean none = options.mode().equals("routed") || options.mode().equals("ipvlan") && options.subMode().equals("l3");
        return new GwAllocCheckResponse(none, none);
    }

    @Override
    public synchronized EmptyResponse createNetwork(CreateNetworkRequest request) {
        String networkId = requireId("NetworkID", request.networkId());
        NetworkOptions options = NetworkOptions.parse(request.options());
        List<Subnet> subnets = new ArrayList<>();
        subnets.addAll(subnets("IPv4Data", request.ipv4Data(), false));
        subnets.addAll(subnets("IPv6Data", request.ipv6Data(), true));
        if (subnets.isEmpty()) {
            throw PluginException.invalid("IPv4Data: missing; a network needs at least one IPv4 or IPv6 pool");
        }
        boolean bridged = options.mode().equals("bridge");
        if (options.mode().equals("routed") && subnets.stream().anyMatch(s -> s.pool().contains(":"))) {
            // Docker gives each container its address with the pool's prefix: IPv4 neighbours are answered by the
            // host veth's proxy ARP, while IPv6 would need one NDP proxy entry per address per veth.
            throw PluginException.invalid("IPv6Data: routed networks are IPv4 only; use bridge mode for IPv6");
        }
        String bridge = !bridged ? "" : options.bridgeName().isEmpty() ? LinkNames.bridge(networkId) : options.bridgeName();
        NetworkRecord asked = new NetworkRecord(networkId, bridge, options.mtu(), options.internal(),
                options.enableIpv6(), subnets, options.generic(), options.mode(), options.parent(), options.subMode(), "");
        Optional<NetworkRecord> existing = store.read(tx -> tx.network(networkId));
        if (existing.isPresent()) {
            // The daemon resends a call whose reply it lost (we crashed after committing): same request, same answer.
            if (existing.get().withRoutedGateway("").equals(asked)) {
                log.info("network {} exists as asked; answering the repeated CreateNetwork", networkId);
                return EmptyResponse.INSTANCE;
            }
            throw PluginException.conflict("NetworkID: network %s already exists", networkId);
        }
        checkConflicts(asked);
        if (asked.isRouted()) {
            return createRoutedNetwork(asked.withRoutedGateway(freeRoutedGateway()));
        }
        NetworkRecord network = asked;
        if (!bridged) {
            // macvlan and ipvlan: the containers sit on the parent's own network; nothing to make until endpoints,
            // but a VLAN parent that does not exist yet.
            if (links.exists(network.parent())) {
                hostLinks.probeIpvlan(network);
                store.write(tx -> tx.putNetwork(network));
            } else {
                VlanParent vlan = VlanParent.of(network.parent()).orElseThrow();
                buildLink(network.parent(), undo -> {
                    hostLinks.makeVlanParent(network.parent(), vlan);
                    undo.done("vlan " + network.parent(), () -> links.delete(network.parent()));
                    hostLinks.probeIpvlan(network);
                }, tx -> tx.putNetwork(network));
            }
            log.info("network {} created: {} ({}) on {} subnets {}", networkId, network.mode(), network.subMode(),
                    options.parent(), subnets);
            return EmptyResponse.INSTANCE;
        }

        buildLink(bridge, undo -> {
            links.addBridge(bridge, options.mtu());
            undo.done("bridge " + bridge, () -> links.delete(bridge));
            for (Subnet subnet : subnets) {
                if (!subnet.gateway().isEmpty()) {
                    addresses.add(bridge, Cidr.parseInterfaceAddress("gateway", subnet.gateway()));
                }
            }
            links.setUp(bridge);
            if (!options.internal()) {
                hostLinks.enableForwarding(network);
            }
            FirewallNetwork rules = HostLinks.firewallNetwork(network);
            firewall.addNetwork(rules);
            undo.done("firewall rules of " + bridge, () -> firewall.removeNetwork(rules));
        }, tx -> tx.putNetwork(network));
        log.info("network {} created: bridge {} mtu {} subnets {}{}", networkId, bridge, options.mtu(),
                subnets, options.internal() ? " internal" : "");
        return EmptyResponse.INSTANCE;
    }

    private String freeRoutedGateway() {
        Set<String> taken = new HashSet<>();
        store.read(Store.Tx::networks).forEach(n -> taken.add(n.routedGateway()));
        for (int n = 1; n <= 254; n++) {
            String gateway = String.format(Locale.ROOT, ROUTED_GATEWAY_FORMAT, n);
            if (n != CLOUD_METADATA_THIRD_OCTET && !taken.contains(gateway)) {
                return gateway;
            }
        }
        throw PluginException.conflict("-o %s=routed: all 253 link-local gateways are in use by routed networks",
                Labels.MODE);
    }

    /** A routed network is its NAT until endpoints come: each brings its own veth, routes and rules. */
    private EmptyResponse createRoutedNetwork(NetworkRecord network) {
        FirewallNetwork rules = HostLinks.firewallNetwork(network);
        if (!network.internal()) {
            hostLinks.enableForwarding(network);
            firewall.addNetwork(rules);
        }
        try {
            store.write(tx -> tx.putNetwork(network));
        } catch (RuntimeException e) {
            if (!network.internal()) {
                firewall.removeNetwork(rules);
            }
            throw e;
        }
        log.info("network {} created: routed, subnets {}, gateway {}{}", network.networkId(), network.subnets(),
                network.routedGateway(), network.internal() ? " internal" : "");
        return EmptyResponse.INSTANCE;
    }

    @Override
    public synchronized EmptyResponse deleteNetwork(NetworkRequest request) {
        NetworkRecord network = network(request.networkId());
        List<EndpointRecord> endpoints = store.read(tx -> tx.endpoints(network.networkId()));
        endpoints.forEach(e -> log.warn("network {} deleted with endpoint {} still present; removing it",
                network.networkId(), e.endpointId()));
        List<String> doomed = new ArrayList<>(endpoints.stream().map(EndpointRecord::hostIfName).toList());
        if (network.hasVeths()) {
            firewall.unpublish(endpoints.stream().flatMap(e -> e.portMap().stream()).toList());
            if (network.isRouted()) {
                endpoints.forEach(e -> firewall.removeRoutedLink(HostLinks.routedLink(network, e)));
            }
            firewall.removeNetwork(HostLinks.firewallNetwork(network));
        }
        if (network.isBridge()) {
            doomed.add(network.bridgeName());
        }
        if (network.hasParent() && links.owned().contains(network.parent())
                && store.read(Store.Tx::networks).stream().noneMatch(other ->
                !other.networkId().equals(network.networkId()) && other.parent().equals(network.parent()))) {
            doomed.add(network.parent());
        }
        store.write(tx -> {
            endpoints.forEach(e -> tx.deleteEndpoint(e.endpointId()));
            tx.deleteNetwork(network.networkId());
            doomed.forEach(tx::putLinkIntent);
        });
        doomed.forEach(hostLinks::deleteLink);
        store.write(tx -> doomed.forEach(tx::deleteLinkIntent));
        log.info("network {} deleted", network.networkId());
        return EmptyResponse.INSTANCE;
    }

    @Override
    public synchronized CreateEndpointResponse createEndpoint(CreateEndpointRequest request) {
        NetworkRecord network = network(request.networkId());
        String endpointId = requireId("EndpointID", request.endpointId());
        EndpointInterface requested = request.endpointInterface();
        if (requested == null) {
            throw PluginException.invalid("Interface: missing");
        }
        String address = endpointAddress("Interface.Address", requested.address(), network, false);
        String addressIpv6 = endpointAddress("Interface.AddressIPv6", requested.addressIpv6(), network, true);
        Optional<MacAddress> givenMac = givenMac(requested, request.options());
        boolean ipvlan = network.isIpvlan();
        if (ipvlan && givenMac.isPresent()) {
            throw PluginException.invalid("Interface.MacAddress: %s cannot be set: an ipvlan shares its parent's MAC"
                    + " address", givenMac.get());
        }
        Optional<MacAddress> mac = givenMac.isPresent() || address.isEmpty() || ipvlan ? givenMac
                : Optional.of(MacAddress.fromIpv4(Cidr.parseInterfaceAddress("address", address).getBytes()));

        String hostIf = network.hasVeths() ? LinkNames.hostVeth(endpointId) : LinkNames.subInterface(endpointId);
        String containerIf = network.hasVeths() ? LinkNames.containerVeth(endpointId) : hostIf;
        EndpointRecord endpoint = new EndpointRecord(endpointId, network.networkId(), hostIf, containerIf,
                address, addressIpv6, mac.map(MacAddress::toString).orElse(""), null, List.of());
        // Docker refuses a MAC from the driver when it chose one itself.
        EndpointInterface reply = givenMac.isEmpty() && mac.isPresent()
                ? new EndpointInterface(null, null, mac.get().toString())
                : new EndpointInterface(null, null, null);
        Optional<EndpointRecord> existing = store.read(tx -> tx.endpoint(endpointId));
        if (existing.isPresent()) {
            if (existing.get().equals(endpoint)) {
                log.info("endpoint {} exists as asked; answering the repeated CreateEndpoint", endpointId);
                return new CreateEndpointResponse(reply);
            }
            throw PluginException.conflict("EndpointID: endpoint %s already exists", endpointId);
        }
        buildLink(hostIf, undo -> hostLinks.makeEndpointLink(network, endpoint, mac, undo), tx -> tx.putEndpoint(endpoint));
        log.info("endpoint {} created on network {}: {} {} {}", endpointId, network.networkId(), hostIf, address,
                endpoint.macAddress());
        return new CreateEndpointResponse(reply);
    }

    @Override
    public synchronized EndpointInfoResponse endpointOperInfo(EndpointRequest request) {
        Attachment found = attachment(request.networkId(), request.endpointId());
        EndpointRecord endpoint = found.endpoint();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("javanet.host_interface", endpoint.hostIfName());
        value.put("javanet.bridge", found.network().bridgeName());
        if (!endpoint.macAddress().isEmpty()) {
            value.put(Labels.ENDPOINT_MAC, endpoint.macAddress());
        }
        return new EndpointInfoResponse(value);
    }

    @Override
    public synchronized EmptyResponse deleteEndpoint(EndpointRequest request) {
        Attachment found = attachment(request.networkId(), request.endpointId());
        EndpointRecord endpoint = found.endpoint();
        firewall.unpublish(endpoint.portMap());
        if (found.network().isRouted()) {
            firewall.removeRoutedLink(HostLinks.routedLink(found.network(), endpoint));
        }
        store.write(tx -> {
            tx.deleteEndpoint(endpoint.endpointId());
            tx.putLinkIntent(endpoint.hostIfName());
        });
        endpointLinkRemoval.remove(endpoint.hostIfName(), () -> clearIntent(endpoint.hostIfName()));
        log.info("endpoint {} deleted", endpoint.endpointId());
        return EmptyResponse.INSTANCE;
    }

    @Override
    public synchronized JoinResponse join(JoinRequest request) {
        Attachment found = attachment(request.networkId(), request.endpointId());
        EndpointRecord endpoint = found.endpoint();
        if (request.sandboxKey() == null || request.sandboxKey().isEmpty()) {
            throw PluginException.invalid("SandboxKey: missing");
        }
        NetworkRecord network = found.network();
        store.write(tx -> tx.putEndpoint(endpoint.withSandboxKey(request.sandboxKey())));
        InterfaceName name = new InterfaceName(endpoint.containerIfName(), "eth");
        if (network.isRouted()) {
            // The container's only neighbour is the host: its gateway is on-link through the veth.
            return network.internal()
                    ? new JoinResponse(name, null, null, null, true)
                    : new JoinResponse(name, network.routedGateway(), null,
                            List.of(new StaticRoute(network.routedGateway() + "/32", StaticRoute.CONNECTED, null)), false);
        }
        if (network.isIpvlanL3()) {
            // Layer 3 ipvlan answers no ARP: everything leaves through the parent, with no gateway to find.
            List<StaticRoute> defaults = new ArrayList<>();
            defaults.add(new StaticRoute("0.0.0.0/0", StaticRoute.CONNECTED, null));
            if (!endpoint.addressIpv6().isEmpty()) {
                defaults.add(new StaticRoute("::/0", StaticRoute.CONNECTED, null));
            }
            return new JoinResponse(name, null, null, network.internal() ? null : defaults, true);
        }
        String gateway = null;
        String gatewayIpv6 = null;
        if (!network.internal()) {
            for (Subnet subnet : network.subnets()) {
                if (subnet.gateway().isEmpty()) {
                    continue;
                }
                IPAddress gw = Cidr.parseInterfaceAddress("gateway", subnet.gateway());
                if (gw.isIPv4() && gateway == null) {
                    gateway = Cidr.hostText(gw);
                } else if (gw.isIPv6() && gatewayIpv6 == null && !endpoint.addressIpv6().isEmpty()) {
                    gatewayIpv6 = Cidr.hostText(gw);
                }
            }
        }
        return new JoinResponse(name, gateway, gatewayIpv6, null, network.internal());
    }

    @Override
    public synchronized EmptyResponse leave(EndpointRequest request) {
        EndpointRecord endpoint = endpoint(request.networkId(), request.endpointId());
        store.write(tx -> tx.putEndpoint(endpoint.withSandboxKey(null)));
        return EmptyResponse.INSTANCE;
    }

    /** Node and key discovery matter to multi-host drivers only: checked, then nothing to do. */
    @Override
    public EmptyResponse discoverNew(DiscoveryNotification request) {
        checkDiscovery(request);
        return EmptyResponse.INSTANCE;
    }

    @Override
    public EmptyResponse discoverDelete(DiscoveryNotification request) {
        checkDiscovery(request);
        return EmptyResponse.INSTANCE;
    }

    private static void checkDiscovery(DiscoveryNotification request) {
        Integer type = request.discoveryType();
        if (type == null) {
            throw PluginException.invalid("DiscoveryType: missing");
        }
        if (type < 1 || type > 3) {
            throw PluginException.invalid("DiscoveryType: %d is not 1 (node), 2 (encryption keys) or 3 (key update)", type);
        }
    }

    /** Publishes the sandbox's ports (Docker sends these to its gateway endpoint only; it starts no proxy). */
    @Override
    public synchronized EmptyResponse programExternalConnectivity(ExternalConnectivityRequest request) {
        Attachment found = attachment(request.networkId(), request.endpointId());
        EndpointRecord endpoint = found.endpoint();
        if (!found.network().hasVeths()) {
            log.info("endpoint {} is on a {} network: reachable on the parent's network, no ports to publish",
                    endpoint.endpointId(), found.network().mode());
            return EmptyResponse.INSTANCE;
        }
        List<Map<String, Object>> requested = portMap(request.options());
        if (requested.isEmpty() && endpoint.portMap().isEmpty()) {
            return EmptyResponse.INSTANCE;
        }
        List<PortBinding> others = store.read(Store.Tx::publishedPorts).stream()
                .filter(b -> !endpoint.portMap().contains(b)).toList();
        List<PortBinding> ports = PortMaps.resolve(requested, endpoint, others);
        firewall.unpublish(endpoint.portMap());
        firewall.publish(ports);
        try {
            store.write(tx -> tx.putEndpoint(endpoint.withPortMap(ports)));
        } catch (RuntimeException e) {
            firewall.unpublish(ports);
            firewall.publish(endpoint.portMap());
            throw e;
        }
        if (!ports.isEmpty()) {
            log.info("endpoint {} publishes {}", endpoint.endpointId(), ports);
        }
        return EmptyResponse.INSTANCE;
    }

    @Override
    public synchronized EmptyResponse revokeExternalConnectivity(EndpointRequest request) {
        EndpointRecord endpoint = endpoint(request.networkId(), request.endpointId());
        firewall.unpublish(endpoint.portMap());
        store.write(tx -> tx.putEndpoint(endpoint.withPortMap(List.of())));
        return EmptyResponse.INSTANCE;
    }

    /** Sent by swarm managers to global-scope drivers only; javanet is local-scope and says so. */
    @Override
    public AllocateNetworkResponse allocateNetwork(AllocateNetworkRequest request) {
        throw PluginException.invalid("AllocateNetwork: javanet is a local-scope driver; swarm networks (%s) are not supported",
                requireId("NetworkID", request.networkId()));
    }

    @Override
    public EmptyResponse freeNetwork(NetworkRequest request) {
        throw PluginException.invalid("FreeNetwork: javanet is a local-scope driver; swarm networks (%s) are not supported",
                requireId("NetworkID", request.networkId()));
    }

    private List<Subnet> subnets(String field, List<IpamData> data, boolean v6) {
        List<Subnet> result = new ArrayList<>();
        if (data == null) {
            return result;
        }
        for (int i = 0; i < data.size(); i++) {
            IpamData d = data.get(i);
            String at = field + "[" + i + "]";
            if (d == null) {
                throw PluginException.invalid("%s: missing", at);
            }
            IPAddress pool = Cidr.parseNetwork(at + ".Pool", d.pool());
            if (pool.isIPv6() != v6) {
                throw PluginException.invalid("%s.Pool: %s is not an %s network", at, d.pool(), v6 ? "IPv6" : "IPv4");
            }
            String gateway = "";
            if (d.gateway() != null && !d.gateway().isEmpty()) {
                IPAddress gw = Cidr.parseInterfaceAddress(at + ".Gateway", d.gateway());
                if (!pool.contains(gw)) {
                    throw PluginException.invalid("%s.Gateway: %s is not inside pool %s", at, d.gateway(), d.pool());
                }
                gateway = Cidr.hostText(gw) + "/" + pool.getNetworkPrefixLength();
            }
            List<String> aux = new ArrayList<>();
            if (d.auxAddresses() != null) {
                for (Map.Entry<String, String> a : d.auxAddresses().entrySet()) {
                    aux.add(Cidr.parseInterfaceAddress(at + ".AuxAddresses." + a.getKey(), a.getValue()).toString());
                }
            }
            result.add(new Subnet(pool.toCanonicalString(), gateway, aux));
        }
        return result;
    }

    private void checkConflicts(NetworkRecord network) {
        String bridge = network.bridgeName();
        for (NetworkRecord other : store.read(tx -> tx.networks())) {
            if (network.isBridge() && other.bridgeName().equals(bridge)) {
                throw PluginException.conflict("-o %s: bridge %s is already used by network %s",
                        Labels.BRIDGE_NAME, bridge, other.networkId());
            }
            if (network.hasParent() && other.parent().equals(network.parent())
                    && !(other.mode().equals(network.mode()) && other.subMode().equals(network.subMode()))) {
                throw PluginException.conflict("-o %s: %s already carries network %s in %s mode %s, not %s mode %s",
                        Labels.PARENT, network.parent(), other.networkId(), other.mode(), other.subMode(),
                        network.mode(), network.subMode());
            }
            for (Subnet mine : network.subnets()) {
                for (Subnet theirs : other.subnets()) {
                    if (Cidr.parseNetwork("pool", mine.pool()).overlaps(Cidr.parseNetwork("pool", theirs.pool()))) {
                        throw PluginException.conflict("subnet %s overlaps subnet %s of network %s",
                                mine.pool(), theirs.pool(), other.networkId());
                    }
                }
            }
        }
        if (network.isBridge() && links.exists(bridge)) {
            throw PluginException.conflict("-o %s: a link named %s already exists on the host (network %s)",
                    Labels.BRIDGE_NAME, bridge, network.networkId());
        }
        if (network.hasParent() && !links.exists(network.parent())) {
            Optional<VlanParent> vlan = VlanParent.of(network.parent());
            if (vlan.isEmpty()) {
                throw PluginException.invalid("-o %s: there is no link named %s on the host", Labels.PARENT,
                        network.parent());
            }
            if (!links.exists(vlan.get().base())) {
                throw PluginException.invalid("-o %s: there is no link named %s on the host, nor %s to make it a VLAN"
                        + " of", Labels.PARENT, network.parent(), vlan.get().base());
            }
        }
    }

    private static String endpointAddress(String field, String value, NetworkRecord network, boolean v6) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        IPAddress address = Cidr.parseInterfaceAddress(field, value);
        if (address.isIPv6() != v6) {
            throw PluginException.invalid("%s: %s is not an %s address", field, value, v6 ? "IPv6" : "IPv4");
        }
        boolean inNetwork = network.subnets().stream()
                .anyMatch(s -> Cidr.parseNetwork("pool", s.pool()).contains(address));
        if (!inNetwork) {
            throw PluginException.invalid("%s: %s is not inside any subnet of network %s", field, value,
                    network.networkId());
        }
        return value;
    }

    private static Optional<MacAddress> givenMac(EndpointInterface requested, Map<String, Object> options) {
        try {
            if (requested.macAddress() != null && !requested.macAddress().isEmpty()) {
                return Optional.of(MacAddress.parse(requested.macAddress()));
            }
        } catch (IllegalArgumentException e) {
            throw PluginException.invalid("Interface.MacAddress: %s", e.getMessage());
        }
        Object encoded = options == null ? null : options.get(Labels.ENDPOINT_MAC);
        if (encoded == null) {
            return Optional.empty();
        }
        // Go marshals the []byte MAC in endpoint options as base64.
        try {
            return Optional.of(new MacAddress(Base64.getDecoder().decode(String.valueOf(encoded))));
        } catch (IllegalArgumentException e) {
            throw PluginException.invalid("Options.%s: \"%s\" is not a base64 MAC address (%s)",
                    Labels.ENDPOINT_MAC, encoded, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> portMap(Map<String, Object> options) {
        Object value = options == null ? null : options.get(Labels.PORT_MAP);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw PluginException.invalid("Options.%s: expected a list of port mappings, got %s", Labels.PORT_MAP, value);
        }
        return (List<Map<String, Object>>) list;
    }

    private NetworkRecord network(String networkId) {
        String id = requireId("NetworkID", networkId);
        return store.read(tx -> tx.network(id))
                .orElseThrow(() -> PluginException.notFound("NetworkID: unknown network %s", id));
    }

    private EndpointRecord endpoint(String networkId, String endpointId) {
        return attachment(networkId, endpointId).endpoint();
    }

    /** An endpoint with the network it belongs to, both read and checked once. */
    private record Attachment(NetworkRecord network, EndpointRecord endpoint) {
    }

    private Attachment attachment(String networkId, String endpointId) {
        NetworkRecord network = network(networkId);
        String id = requireId("EndpointID", endpointId);
        EndpointRecord endpoint = store.read(tx -> tx.endpoint(id))
                .orElseThrow(() -> PluginException.notFound("EndpointID: unknown endpoint %s", id));
        if (!endpoint.networkId().equals(network.networkId())) {
            throw PluginException.invalid("NetworkID: endpoint %s belongs to network %s, not %s", id,
                    endpoint.networkId(), network.networkId());
        }
        return new Attachment(network, endpoint);
    }

    /**
     * Makes {@code link} and what goes with it, as one all-or-nothing call: the intent to make it is committed
     * first, the record and the intent's end together last; a failure between undoes the steps done.
     */
    private void buildLink(String link, Consumer<UndoLog> steps, Consumer<Store.Tx> record) {
        UndoLog undo = new UndoLog();
        store.write(tx -> tx.putLinkIntent(link));
        try {
            steps.accept(undo);
            store.write(tx -> {
                record.accept(tx);
                tx.deleteLinkIntent(link);
            });
        } catch (RuntimeException e) {
            undo.rollback(e);
            clearIntentAfter(e, link);
            throw e;
        }
    }

    private void clearIntent(String link) {
        store.write(tx -> tx.deleteLinkIntent(link));
    }

    /** After a rollback: the intent goes too, or stays for reconciliation if the store is what failed. */
    private void clearIntentAfter(RuntimeException cause, String link) {
        try {
            clearIntent(link);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static String requireId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw PluginException.invalid("%s: missing", field);
        }
        if (id.length() > 128 || !id.matches("[A-Za-z0-9_.-]+")) {
            throw PluginException.invalid("%s: \"%s\" is not a Docker ID (up to 128 letters and digits)",
                    field, id.length() > 40 ? id.substring(0, 40) + "…" : id);
        }
        return id;
    }
}
