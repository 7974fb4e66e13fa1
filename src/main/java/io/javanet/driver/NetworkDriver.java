package io.javanet.driver;

import io.javanet.api.EmptyResponse;
import io.javanet.api.NetworkDriverApi;
import io.javanet.api.StatusApi;
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
import io.javanet.api.network.JoinRequest;
import io.javanet.api.network.JoinResponse;
import io.javanet.api.network.NetworkRequest;
import io.javanet.api.status.Diagnosis;
import io.javanet.api.status.PluginStatus;
import io.javanet.api.status.PluginStatus.EndpointStatus;
import io.javanet.api.status.PluginStatus.NetworkStatus;
import io.javanet.api.status.PluginStatus.PublishedPort;
import io.javanet.engine.Engine;
import io.javanet.engine.SwarmNetwork;
import io.javanet.failure.PluginException;
import io.javanet.firewall.Firewall;
import io.javanet.kernel.HostKernel;
import io.javanet.kernel.Links;
import io.javanet.net.Cidr;
import io.javanet.net.MacAddress;
import io.javanet.net.Scope;
import io.javanet.net.Subnet;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network driver's calls: IDs checked, repeated calls answered as the first, each call's state change one
 * store transaction made after the host work succeeded and before the reply, a failure part-way undone. What a
 * network's mode makes on the host is its {@link NetworkMode}'s business; start-up repair is {@link Reconciler}'s.
 */
public final class NetworkDriver implements NetworkDriverApi, StatusApi {

    private static final Logger log = LoggerFactory.getLogger(NetworkDriver.class);

    private final Store store;
    private final Links links;
    private final Firewall firewall;
    private final LinkRemoval endpointLinkRemoval;
    private final NetworkModes modes;
    private final Reconciler reconciler;
    private final DriverState state;
    private final PublishedPorts ports;
    private final Scope scope;
    private final CallLocks locks = new CallLocks();
    private final HostSubnets hostSubnets;
    private final Cluster cluster;
    private final EndpointFeatures features;
    private final Doctor doctor;
    /**
     * A driver of either scope, with the modes of {@code catalog}; a global-scope one adds what they do beyond one
     * host. Endpoint links go through {@code endpointLinkRemoval}: within the call, or in the background.
     */
    public NetworkDriver(Store store, HostKernel kernel, Firewall firewall, LinkRemoval endpointLinkRemoval, Scope scope,
                         ModeCatalog catalog) {
        this.scope = scope;
        Links links = kernel.links();
        HostLinks host = new HostLinks(links, kernel.addresses(), kernel.routes(), kernel.sysctls(), firewall);
        this.endpointLinkRemoval = endpointLinkRemoval;
        ModeCatalog.Installed installed = catalog.install(host, store, kernel);
        this.modes = installed.modes();
        this.cluster = scope == Scope.GLOBAL ? installed.cluster() : Cluster.NONE;
        this.features = installed.features();
        this.reconciler = new Reconciler(store, host, modes, features);
        this.state = new DriverState(store);
        this.ports = new PublishedPorts(store, firewall);
        this.hostSubnets = new HostSubnets(kernel.addresses(), kernel.routes());
        this.doctor = new Doctor(store, host, kernel.sysctls(), modes, features, cluster, scope, locks);
        this.store = store;
        this.links = links;
        this.firewall = firewall;
    }

    /**
     * Brings the host back in line with our state, before we serve: after a host reboot, a crash between two
     * steps, or someone deleting a bridge. Re-creates missing bridges, gateway addresses, VLAN parents, routes
     * and not yet joined veths; re-enslaves veths; removes links we made that our state no longer knows;
     * rebuilds the firewall. Each repair is logged; returns how many there were.
     */
    public int reconcile() {
        return locks.alone(() -> reconciler.reconcile());
    }

    /**
     * Endpoints that may be left over from a crash, candidates for {@link #reapLeftovers}: those never joined,
     * and those joined to a container that left or is gone, whose Leave and DeleteEndpoint came while we were
     * down.
     */
    public List<String> leftoverEndpoints() {
        return locks.alone(() -> reconciler.leftoverEndpoints());
    }

    /** Removes those of {@code candidates} that are still leftovers once the grace period is over. */
    public int reapLeftovers(List<String> candidates) {
        return locks.alone(() -> {
            int reaped = 0;
            for (String id : candidates) {
                Optional<EndpointRequest> leftover = reconciler.stillLeftover(id);
                if (leftover.isPresent()) {
                    deleteEndpoint(leftover.get());
                    reaped++;
                }
            }
            return reaped;
        });
    }

    @Override
    public CapabilitiesResponse getCapabilities() {
        return new CapabilitiesResponse(scope.wireName(), scope.wireName(), true);
    }

    /** Docker reserves a gateway address only where the network's mode uses one of the subnet's. */
    @Override
    public GwAllocCheckResponse gwAllocCheck(GwAllocCheckRequest request) {
        NetworkOptions options = NetworkOptions.parse(request.options(), scope, modes, features.optionKeys());
        NetworkMode mode = modes.of(options.mode());
        return new GwAllocCheckResponse(!mode.usesSubnetGateway(options, false), !mode.usesSubnetGateway(options, true));
    }

    @Override
    public EmptyResponse createNetwork(CreateNetworkRequest request) {
        return locks.alone(() -> {
            String networkId = RequestValues.requireId("NetworkID", request.networkId());
            NetworkOptions options = NetworkOptions.parse(request.options(), scope, modes, features.optionKeys());
            List<Subnet> subnets = new ArrayList<>();
            subnets.addAll(RequestValues.subnets("IPv4Data", request.ipv4Data(), false));
            subnets.addAll(RequestValues.subnets("IPv6Data", request.ipv6Data(), true));
            if (subnets.isEmpty()) {
                throw PluginException.invalid("IPv4Data: missing; a network needs at least one IPv4 or IPv6 pool");
            }
            NetworkRecord asked = new NetworkRecord(networkId, options.mtu(), options.internal(), options.enableIpv6(),
                    subnets, options.generic(), options.mode(), options.section());
            features.checkDefaults(options.generic(), modes.of(asked), asked);
            Optional<NetworkRecord> existing = store.read(tx -> tx.network(networkId));
            if (existing.isPresent()) {
                // The daemon resends a call whose reply it lost (we crashed after committing): same request, same answer.
                if (existing.get().madeAs(asked)) {
                    log.info("network {} exists as asked; answering the repeated CreateNetwork", networkId);
                    return EmptyResponse.INSTANCE;
                }
                throw PluginException.conflict("NetworkID: network %s already exists", networkId);
            }
            NetworkMode mode = modes.of(options.mode());
            List<NetworkRecord> others = store.read(Tx::networks);
            NetworkRecord network = mode.prepare(asked, others);
            checkOverlaps(network, others);
            hostSubnets.refuseHostAddresses(network, mode.onParentLan(network), mode.link(network), options.allowHostSubnet());
            state.build(mode.linkMadeAtCreate(network), undo -> mode.create(network, undo), tx -> tx.putNetwork(network));
            log.info("network {} created: {}{}{} mtu {} subnets {}{}", networkId, network.mode(),
                    mode.variant(network).isEmpty() ? "" : " " + mode.variant(network),
                    mode.link(network).isEmpty() ? "" : " on " + mode.link(network),
                    network.mtu(), subnets, network.internal() ? " internal" : "");
            return EmptyResponse.INSTANCE;
        });
    }

    @Override
    public EmptyResponse deleteNetwork(NetworkRequest request) {
        return locks.alone(() -> {
            NetworkRecord network = state.network(request.networkId());
            NetworkMode mode = modes.of(network);
            List<EndpointRecord> endpoints = store.read(tx -> tx.endpoints(network.networkId()));
            endpoints.forEach(e -> log.warn("network {} deleted with endpoint {} still present; removing it",
                    network.networkId(), e.endpointId()));
            List<String> doomed = new ArrayList<>(endpoints.stream().map(EndpointRecord::hostIfName).toList());
            firewall.unpublish(endpoints.stream().flatMap(e -> e.portMap().stream()).toList());
            endpoints.forEach(e -> mode.removeEndpoint(network, e));
            List<NetworkRecord> others = store.read(Tx::networks).stream()
                    .filter(other -> !other.networkId().equals(network.networkId())).toList();
            doomed.addAll(mode.remove(network, endpoints, others));
            store.write(tx -> {
                endpoints.forEach(e -> tx.deleteEndpoint(e.endpointId()));
                tx.deleteNetwork(network.networkId());
                doomed.forEach(tx::putLinkIntent);
            });
            doomed.forEach(link -> LinkRemoval.deleteIfPresent(links, link));
            store.write(tx -> doomed.forEach(tx::deleteLinkIntent));
            cluster.forget(network.networkId());
            log.info("network {} deleted", network.networkId());
            return EmptyResponse.INSTANCE;
        });
    }

    @Override
    public CreateEndpointResponse createEndpoint(CreateEndpointRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            NetworkRecord network = state.network(request.networkId());
            String endpointId = RequestValues.requireId("EndpointID", request.endpointId());
            EndpointInterface requested = request.endpointInterface();
            if (requested == null) {
                throw PluginException.invalid("Interface: missing");
            }
            RequestValues.refuseEndpointOptions(request.options(), features.optionKeys());
            String address = RequestValues.endpointAddress("Interface.Address", requested.address(), network, false);
            String addressIpv6 = RequestValues.endpointAddress("Interface.AddressIPv6", requested.addressIpv6(), network, true);
            NetworkMode mode = modes.of(network);
            Optional<MacAddress> givenMac = RequestValues.givenMac(requested, request.options());
            Optional<MacAddress> mac = mode.mac(givenMac, address);
            NetworkMode.EndpointLinks names = mode.endpointLinks(endpointId);
            Map<String, String> kept = features.keep(network.generic(),
                    request.options() == null ? Map.of() : request.options(), mode, network);
            EndpointRecord endpoint = new EndpointRecord(endpointId, network.networkId(), names.host(), names.container(),
                    address, addressIpv6, mac.map(MacAddress::toString).orElse(""), null, List.of(), kept);
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
            state.recordFirst(tx -> tx.putEndpoint(endpoint), tx -> tx.deleteEndpoint(endpointId),
                    undo -> {
                        mode.createEndpoint(network, endpoint, mac, undo);
                        features.setUp(network, endpoint, mode, undo);
                    });
            log.info("endpoint {} created on network {}: {} {} {}", endpointId, network.networkId(), names.host(), address,
                    endpoint.macAddress());
            return new CreateEndpointResponse(reply);
        });
    }

    @Override
    public EndpointInfoResponse endpointOperInfo(EndpointRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            DriverState.Attachment found = state.attachment(request.networkId(), request.endpointId());
            EndpointRecord endpoint = found.endpoint();
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("javanet.host_interface", endpoint.hostIfName());
            NetworkMode mode = modes.of(found.network());
            value.put("javanet.bridge", mode.vethEndpoints() ? mode.link(found.network()) : "");
            if (!endpoint.macAddress().isEmpty()) {
                value.put(Labels.ENDPOINT_MAC, endpoint.macAddress());
            }
            return new EndpointInfoResponse(value);
        });
    }

    @Override
    public EmptyResponse deleteEndpoint(EndpointRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            // Gone already: our reply to an earlier DeleteEndpoint was lost in a crash and Docker retried it, or the
            // reaper removed it before Docker's retried Join failed. An error here would leave Docker holding an
            // endpoint no one can delete, and the network could never be removed.
            Optional<DriverState.Attachment> existing = state.findAttachment(request.networkId(), request.endpointId());
            if (existing.isEmpty()) {
                log.info("endpoint {} deleted already", request.endpointId());
                return EmptyResponse.INSTANCE;
            }
            DriverState.Attachment found = existing.get();
            EndpointRecord endpoint = found.endpoint();
            // State first: if the store fails, nothing has changed; a crash after it leaves rules and routes that
            // start-up rebuilds from the state, without this endpoint, and the link to its intent.
            store.write(tx -> {
                tx.deleteEndpoint(endpoint.endpointId());
                tx.putLinkIntent(endpoint.hostIfName());
            });
            firewall.unpublish(endpoint.portMap());
            modes.of(found.network()).removeEndpoint(found.network(), endpoint);
            endpointLinkRemoval.remove(endpoint.hostIfName(), () -> state.clearIntent(endpoint.hostIfName()));
            log.info("endpoint {} deleted", endpoint.endpointId());
            return EmptyResponse.INSTANCE;
        });
    }

    @Override
    public JoinResponse join(JoinRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            DriverState.Attachment found = state.attachment(request.networkId(), request.endpointId());
            EndpointRecord endpoint = found.endpoint();
            if (request.sandboxKey() == null || request.sandboxKey().isEmpty()) {
                throw PluginException.invalid("SandboxKey: missing");
            }
            NetworkRecord network = found.network();
            EndpointRecord joined = endpoint.withSandboxKey(request.sandboxKey());
            store.write(tx -> tx.putEndpoint(joined));
            NetworkMode mode = modes.of(network);
            JoinResponse response = mode.join(network, joined);
            features.joined(network, joined, mode);
            return response;
        });
    }

    @Override
    public EmptyResponse leave(EndpointRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            // Nothing to commit: Docker deletes an endpoint it has left and never joins it again, and an endpoint
            // whose DeleteEndpoint is lost to a crash is found by its container end, back with us under its own
            // name (see Reconciler#isLeftover), whether or not its record still names the sandbox.
            DriverState.Attachment found = state.attachment(request.networkId(), request.endpointId());
            modes.of(found.network()).leave(found.network(), found.endpoint());
            return EmptyResponse.INSTANCE;
        });
    }

    /** Rotates keys beyond one host if their source changed; see {@link Cluster#rotateKeys}. */
    public void rotateKeys() {
        locks.alone(() -> {
            cluster.rotateKeys();
            return null;
        });
    }

    /**
     * Follows what the engine knows of our networks beyond this host (global scope): see {@link Cluster#follow}.
     * The engine is asked before the lock is taken, so that no call waits on the engine's answers.
     */
    public void followEngine(Engine engine) {
        Map<String, SwarmNetwork> views = cluster.ask(engine);
        if (views.isEmpty()) {
            return;
        }
        locks.alone(() -> {
            cluster.follow(views);
            return null;
        });
    }

    /** Every network of ours with its endpoints and their published ports, from the state, for the status endpoint. */
    @Override
    public PluginStatus status() {
        return store.read(tx -> new PluginStatus(scope.name().toLowerCase(Locale.ROOT),
                tx.networks().stream().map(n -> networkStatus(n, tx.endpoints(n.networkId()))).toList(), tx.peers()));
    }

    /** The host checked against our state, for {@code docker javanet doctor}; changes nothing. */
    @Override
    public Diagnosis diagnose() {
        return doctor.diagnose();
    }

    private NetworkStatus networkStatus(NetworkRecord network, List<EndpointRecord> endpoints) {
        NetworkMode mode = modes.of(network);
        List<String> subnets = network.subnets().stream().map(s -> s.pool().toCanonicalString()
                + s.gateway().map(g -> " gateway " + Cidr.hostText(g)).orElse("")).toList();
        return new NetworkStatus(network.networkId(), network.mode().wireName(), mode.link(network),
                mode.variant(network), network.mtu(), network.internal(),
                mode.encrypted(network), subnets, endpoints.stream().map(NetworkDriver::endpointStatus).toList());
    }

    private static EndpointStatus endpointStatus(EndpointRecord endpoint) {
        List<PublishedPort> ports = endpoint.portMap() == null ? List.of() : endpoint.portMap().stream()
                .map(p -> new PublishedPort(p.proto().wireName(), p.hostIp().map(Cidr::hostText).orElse(""), p.hostPort(),
                        p.containerPort())).toList();
        return new EndpointStatus(endpoint.endpointId(), nullToEmpty(endpoint.address()),
                nullToEmpty(endpoint.addressIpv6()), nullToEmpty(endpoint.macAddress()), endpoint.hostIfName(),
                nullToEmpty(endpoint.sandboxKey()), ports);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** How many other nodes of the swarm this node's networks reach now (none on a local-scope install). */
    public int swarmPeers() {
        return cluster.peerCount();
    }

    /** A node joined the swarm (global scope): see {@link Cluster#nodeJoined}. */
    @Override
    public EmptyResponse discoverNew(DiscoveryNotification request) {
        return discovered(request, r -> {
            RequestValues.thisNode(r).ifPresent(cluster::thisNode);
            RequestValues.otherNode(r).ifPresent(cluster::nodeJoined);
        });
    }

    @Override
    public EmptyResponse discoverDelete(DiscoveryNotification request) {
        return discovered(request, r -> RequestValues.otherNode(r).ifPresent(cluster::nodeLeft));
    }

    /** Checks a discovery call and, on a global-scope install, applies it. */
    private EmptyResponse discovered(DiscoveryNotification request, Consumer<DiscoveryNotification> apply) {
        return locks.alone(() -> {
            RequestValues.checkDiscovery(request);
            if (scope == Scope.GLOBAL) {
                apply.accept(request);
            }
            return EmptyResponse.INSTANCE;
        });
    }

    /** Publishes the sandbox's ports (Docker sends these to its gateway endpoint only; it starts no proxy). */
    @Override
    public EmptyResponse programExternalConnectivity(ExternalConnectivityRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            DriverState.Attachment found = state.attachment(request.networkId(), request.endpointId());
            if (!modes.of(found.network()).vethEndpoints()) {
                log.info("endpoint {} is on a {} network: reachable on the parent's network, no ports to publish",
                        found.endpoint().endpointId(), found.network().mode());
                return EmptyResponse.INSTANCE;
            }
            List<Map<String, Object>> asked = RequestValues.portMap(request.options());
            NetworkMode mode = modes.of(found.network());
            if (!asked.isEmpty()) {
                mode.checkPublishing(found.network());
            }
            ports.program(found.endpoint(), asked, mode.publishing(found.network()));
            return EmptyResponse.INSTANCE;
        });
    }

    @Override
    public EmptyResponse revokeExternalConnectivity(EndpointRequest request) {
        return locks.onEndpoint(request.endpointId(), () -> {
            ports.revoke(state.endpoint(request.networkId(), request.endpointId()));
            return EmptyResponse.INSTANCE;
        });
    }

    /** On the swarm's leader, for a global-scope driver: see {@link Cluster#allocate}. */
    @Override
    public AllocateNetworkResponse allocateNetwork(AllocateNetworkRequest request) {
        return locks.alone(() -> {
            String networkId = globalOnly("AllocateNetwork", request.networkId());
            Map<String, String> given = request.options() == null ? Map.of() : request.options();
            NetworkOptions.parse(Map.of(Labels.GENERIC, given), scope, modes, features.optionKeys());
            return new AllocateNetworkResponse(cluster.allocate(networkId, given));
        });
    }

    @Override
    public EmptyResponse freeNetwork(NetworkRequest request) {
        return locks.alone(() -> {
            cluster.free(globalOnly("FreeNetwork", request.networkId()));
            return EmptyResponse.INSTANCE;
        });
    }

    private String globalOnly(String call, String networkId) {
        String id = RequestValues.requireId("NetworkID", networkId);
        if (scope != Scope.GLOBAL) {
            throw PluginException.invalid("%s: this javanet install is local-scope; swarm networks (%s) need its"
                    + " global-scope install (JAVANET_SCOPE=global)", call, id);
        }
        return id;
    }

    private static void checkOverlaps(NetworkRecord network, List<NetworkRecord> others) {
        for (NetworkRecord other : others) {
            for (Subnet mine : network.subnets()) {
                for (Subnet theirs : other.subnets()) {
                    if (mine.pool().overlaps(theirs.pool())) {
                        throw PluginException.conflict("subnet %s overlaps subnet %s of network %s",
                                mine.pool(), theirs.pool(), other.networkId());
                    }
                }
            }
        }
    }
}
