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
import io.javanet.api.network.InterfaceName;
import io.javanet.api.network.IpamData;
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.network.StaticRoute;
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
 * The network driver's decisions: what each call means for the kernel and for our state. Kernel work goes
 * through {@link Links}, {@link Addresses} and {@link Sysctls}, firewall work through {@link Firewall}; each call's state change is one store transaction, made after
 * the kernel work succeeded and before the reply. A failure part-way undoes what the call did.
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
    private final RouteTable routes;
    private final Sysctls sysctls;
    private final Firewall firewall;
    private final LinkRemoval endpointLinkRemoval;

    /** A driver that deletes endpoint links within the call. */
    public NetworkDriver(Store store, Links links, Addresses addresses, RouteTable routes, Sysctls sysctls,
                         Firewall firewall) {
        this(store, links, addresses, routes, sysctls, firewall, LinkRemoval.inline(links));
    }

    public NetworkDriver(Store store, Links links, Addresses addresses, RouteTable routes, Sysctls sysctls,
                         Firewall firewall, LinkRemoval endpointLinkRemoval) {
        this.endpointLinkRemoval = endpointLinkRemoval;
        this.store = store;
        this.links = links;
        this.addresses = addresses;
        this.routes = routes;
        this.sysctls = sysctls;
        this.firewall = firewall;
    }

    /**
     * Brings the host back in line with our state, before we serve: after a host reboot, a crash between two
     * steps, or someone deleting a bridge. Re-creates missing bridges, gateway addresses and not yet joined
     * veths; re-enslaves veths; removes links we made that our state no longer knows; rebuilds the firewall.
     * Each repair is logged; returns how many there were.
     */
    public synchronized int reconcile() {
        int repairs = 0;
        Set<String> expected = new HashSet<>();
        for (NetworkRecord network : store.read(Store.Tx::networks)) {
            if (!network.isBridge()) {
                if (network.isRouted() && !network.internal()) {
                    enableForwarding(network);
                }
                if (network.hasParent()) {
                    expected.add(network.parent());
                    repairs += reconcileParent(network);
                }
                for (EndpointRecord endpoint : store.read(tx -> tx.endpoints(network.networkId()))) {
                    repairs += reconcileEndpoint(network, endpoint, expected);
                }
                continue;
            }
            String bridge = network.bridgeName();
            expected.add(bridge);
            if (!links.exists(bridge)) {
                log.warn("reconcile: bridge {} of network {} is missing; re-creating it", bridge, network.networkId());
                links.addBridge(bridge, network.mtu());
                repairs++;
            }
            List<IPAddress> present = addresses.addresses(bridge);
            for (Subnet subnet : network.subnets()) {
                IPAddress gateway = subnet.gateway().isEmpty() ? null : Cidr.parseInterfaceAddress("gateway", subnet.gateway());
                if (gateway != null && !present.contains(gateway)) {
                    log.warn("reconcile: gateway {} missing on {}; adding it", subnet.gateway(), bridge);
                    addresses.add(bridge, gateway);
                    repairs++;
                }
            }
            links.setUp(bridge);
            if (!network.internal()) {
                enableForwarding(network);
            }
            for (EndpointRecord endpoint : store.read(tx -> tx.endpoints(network.networkId()))) {
                repairs += reconcileEndpoint(network, endpoint, expected);
            }
        }
        for (String intended : store.read(Store.Tx::linkIntents)) {
            if (!expected.contains(intended) && links.exists(intended)) {
                log.warn("reconcile: removing {}, left half-made or half-removed by a crash", intended);
                deleteLink(intended);
                repairs++;
            }
            clearIntent(intended);
        }
        for (String orphan : links.owned()) {
            if (!expected.contains(orphan)) {
                log.warn("reconcile: removing {}, made by us but unknown to our state (left by a crash)", orphan);
                deleteLink(orphan);
                repairs++;
            }
        }
        restoreFirewall();
        log.info("reconcile: {} repairs", repairs);
        return repairs;
    }

    /** Endpoints created but not joined: candidates for {@link #reapUnjoined}. */
    public synchronized List<String> unjoinedEndpoints() {
        List<String> ids = new ArrayList<>();
        for (NetworkRecord network : store.read(Store.Tx::networks)) {
            store.read(tx -> tx.endpoints(network.networkId())).stream()
                    .filter(e -> e.sandboxKey() == null).forEach(e -> ids.add(e.endpointId()));
        }
        return ids;
    }

    /**
     * Removes those of {@code candidates} that are still not joined. A CreateEndpoint committed just before a
     * crash loses its reply: Docker counts it failed and never deletes it, while a live endpoint is joined
     * within milliseconds of its creation, so one unjoined for the whole grace period is such a leftover.
     */
    public synchronized int reapUnjoined(List<String> candidates) {
        int reaped = 0;
        for (String id : candidates) {
            Optional<EndpointRecord> endpoint = store.read(tx -> tx.endpoint(id));
            if (endpoint.isPresent() && endpoint.get().sandboxKey() == null) {
                log.warn("removing endpoint {}: never joined since before our start (its creation's reply was lost"
                        + " in a crash)", id);
                deleteEndpoint(new EndpointRequest(endpoint.get().networkId(), id));
                reaped++;
            }
        }
        return reaped;
    }

    /** A VLAN parent of ours that went missing (a reboot, someone's ip link del) is made again. */
    private int reconcileParent(NetworkRecord network) {
        String parent = network.parent();
        Optional<VlanParent> vlan = VlanParent.of(parent);
        if (links.exists(parent) || vlan.isEmpty() || !links.exists(vlan.get().base())) {
            return 0;
        }
        log.warn("reconcile: VLAN parent {} of network {} is missing; re-creating it", parent, network.networkId());
        links.addVlan(parent, vlan.get().base(), vlan.get().id());
        links.setUp(parent);
        return 1;
    }

    private int reconcileEndpoint(NetworkRecord network, EndpointRecord endpoint, Set<String> expected) {
        String hostIf = endpoint.hostIfName();
        expected.add(hostIf);
        if (!links.exists(hostIf)) {
            if (endpoint.sandboxKey() != null) {
                log.warn("reconcile: veth {} of endpoint {} is gone with its container's sandbox; Docker will remove"
                        + " the endpoint", hostIf, endpoint.endpointId());
                return 0;
            }
            log.warn("reconcile: link {} of endpoint {} is missing; re-creating it", hostIf, endpoint.endpointId());
            Optional<MacAddress> mac = endpoint.macAddress().isEmpty() ? Optional.empty()
                    : Optional.of(MacAddress.parse(endpoint.macAddress()));
            makeEndpointLink(network, endpoint, mac, new UndoLog());
            return 1;
        }
        if (network.isBridge() && !links.master(hostIf).equals(Optional.of(network.bridgeName()))) {
            log.warn("reconcile: veth {} was not on bridge {}; putting it back", hostIf, network.bridgeName());
            links.setMaster(hostIf, network.bridgeName());
            links.setUp(hostIf);
            return 1;
        }
        if (network.isRouted() && !endpoint.address().isEmpty()) {
            try {
                routes.addOnLinkRoute(hostAddress(endpoint.address()), hostIf);
                log.warn("reconcile: route to {} via {} was missing; added it", endpoint.address(), hostIf);
                return 1;
            } catch (KernelException e) {
                if (!e.isExists()) {
                    throw e;
                }
            }
        }
        return 0;
    }

    /** Makes the firewall hold exactly what our state says. */
    synchronized void restoreFirewall() {
        List<NetworkRecord> networks = store.read(Store.Tx::networks);
        List<PortBinding> ports = store.read(Store.Tx::publishedPorts);
        List<RoutedLink> routedLinks = new ArrayList<>();
        for (NetworkRecord network : networks) {
            if (network.isRouted()) {
                store.read(tx -> tx.endpoints(network.networkId())).forEach(e -> routedLinks.add(routedLink(network, e)));
            }
        }
        firewall.restore(networks.stream().filter(NetworkRecord::hasVeths).map(NetworkDriver::firewallNetwork).toList(),
                routedLinks, ports);
    }

    @Override
    public CapabilitiesResponse getCapabilities() {
        return new CapabilitiesResponse("local", "local");
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
                probeIpvlan(network);
                store.write(tx -> tx.putNetwork(network));
            } else {
                VlanParent vlan = VlanParent.of(network.parent()).orElseThrow();
                buildLink(network.parent(), undo -> {
                    makeVlanParent(network.parent(), vlan);
                    undo.done("vlan " + network.parent(), () -> links.delete(network.parent()));
                    probeIpvlan(network);
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
                enableForwarding(network);
            }
            FirewallNetwork rules = firewallNetwork(network);
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

    /**
     * Makes and removes an ipvlan on the parent, so that a kernel without ipvlan, or a parent that cannot carry
     * one, is refused at {@code docker network create} rather than at the first {@code docker run}.
     */
    private void probeIpvlan(NetworkRecord network) {
        if (!network.mode().equals("ipvlan")) {
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

    private void makeVlanParent(String parent, VlanParent vlan) {
        try {
            links.addVlan(parent, vlan.base(), vlan.id());
        } catch (KernelException e) {
            throw PluginException.invalid("-o %s: cannot make %s, VLAN %d on %s (%s)", Labels.PARENT, parent,
                    vlan.id(), vlan.base(), e.getMessage());
        }
        links.setUp(parent);
        log.info("made VLAN parent {}: 802.1q id {} on {}", parent, vlan.id(), vlan.base());
    }

    /** A routed network is its NAT until endpoints come: each brings its own veth, routes and rules. */
    private EmptyResponse createRoutedNetwork(NetworkRecord network) {
        FirewallNetwork rules = firewallNetwork(network);
        if (!network.internal()) {
            enableForwarding(network);
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
                endpoints.forEach(e -> firewall.removeRoutedLink(routedLink(network, e)));
            }
            firewall.removeNetwork(firewallNetwork(network));
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
        doomed.forEach(this::deleteLink);
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
        boolean ipvlan = network.mode().equals("ipvlan");
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
        buildLink(hostIf, undo -> makeEndpointLink(network, endpoint, mac, undo), tx -> tx.putEndpoint(endpoint));
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
            firewall.removeRoutedLink(routedLink(found.network(), endpoint));
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

    private void enableForwarding(NetworkRecord network) {
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

    private static FirewallNetwork firewallNetwork(NetworkRecord network) {
        return new FirewallNetwork(network.bridgeName(), network.internal(),
                network.subnets().stream().map(Subnet::pool).toList());
    }

    private static RoutedLink routedLink(NetworkRecord network, EndpointRecord endpoint) {
        return new RoutedLink(endpoint.hostIfName(), network.internal(),
                network.subnets().stream().map(Subnet::pool).toList());
    }

    /** An endpoint's address as the host routes it: the one address, /32 or /128. */
    private static IPAddress hostAddress(String address) {
        IPAddress host = Cidr.parseInterfaceAddress("address", address);
        return host.setPrefixLength(host.getBitCount(), false);
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
     * The link of an endpoint: a veth pair on the bridge; a veth pair routed by the host; or a macvlan or ipvlan
     * sub-interface of the parent.
     */
    private void makeEndpointLink(NetworkRecord network, EndpointRecord endpoint, Optional<MacAddress> mac, UndoLog undo) {
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
        } else if (network.mode().equals("ipvlan")) {
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

    private void deleteLink(String name) {
        LinkRemoval.deleteIfPresent(links, name);
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
