package io.javanet.driver;

import io.javanet.api.network.EndpointRequest;
import io.javanet.firewall.FirewallNetwork;
import io.javanet.firewall.RoutedLink;
import io.javanet.kernel.Links;
import io.javanet.net.MacAddress;
import io.javanet.store.EndpointRecord;
import io.javanet.store.NetworkRecord;
import io.javanet.store.Store;
import io.javanet.store.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up reconciliation: the host made to match our state again. Each network's mode repairs its own; what
 * is left of ours that no network expects (a crash's half-made links, orphans) goes. Runs under the driver's
 * lock.
 */
final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final EndpointFeatures features;
    private final Store store;
    private final HostLinks host;
    private final Links links;
    private final NetworkModes modes;

    Reconciler(Store store, HostLinks host, NetworkModes modes, EndpointFeatures features) {
        this.features = features;
        this.store = store;
        this.host = host;
        this.links = host.links;
        this.modes = modes;
    }

    /** See {@link NetworkDriver#reconcile()}; returns the number of repairs. */
    int reconcile() {
        int repairs = 0;
        Set<String> expected = new HashSet<>();
        FirewallState rules = new FirewallState();
        for (NetworkRecord network : store.read(Tx::networks)) {
            NetworkMode mode = modes.of(network);
            repairs += mode.reconcile(network, expected);
            List<EndpointRecord> endpoints = store.read(tx -> tx.endpoints(network.networkId()));
            for (EndpointRecord endpoint : endpoints) {
                repairs += reconcileEndpoint(mode, network, endpoint, expected);
            }
            rules.add(mode, network, endpoints);
        }
        for (String intended : store.read(Tx::linkIntents)) {
            if (!expected.contains(intended) && links.exists(intended)) {
                log.warn("reconcile: removing {}, left half-made or half-removed by a crash", intended);
                host.deleteLink(intended);
                repairs++;
            }
            store.write(tx -> tx.deleteLinkIntent(intended));
        }
        for (String orphan : links.owned()) {
            if (!expected.contains(orphan)) {
                log.warn("reconcile: removing {}, made by us but unknown to our state (left by a crash)", orphan);
                host.deleteLink(orphan);
                repairs++;
            }
        }
        rules.restore();
        log.info("reconcile: {} repairs", repairs);
        return repairs;
    }

    private int reconcileEndpoint(NetworkMode mode, NetworkRecord network, EndpointRecord endpoint, Set<String> expected) {
        String hostIf = endpoint.hostIfName();
        expected.add(hostIf);
        if (links.exists(hostIf)) {
            return mode.repairEndpoint(network, endpoint) + features.repair(network, endpoint, mode);
        }
        if (endpoint.sandboxKey() != null && !mode.vethEndpoints()) {
            return features.repair(network, endpoint, mode);  // its link is the container's, in the container
        }
        if (endpoint.sandboxKey() != null) {
            log.warn("reconcile: link {} of endpoint {} is gone with its container's sandbox; Docker will remove"
                    + " the endpoint", hostIf, endpoint.endpointId());
            return 0;
        }
        log.warn("reconcile: link {} of endpoint {} is missing; re-creating it", hostIf, endpoint.endpointId());
        Optional<MacAddress> mac = endpoint.macAddress().isEmpty() ? Optional.empty()
                : Optional.of(MacAddress.parse(endpoint.macAddress()));
        UndoLog undo = new UndoLog();
        mode.createEndpoint(network, endpoint, mac, undo);
        features.setUp(network, endpoint, mode, undo);
        return 1;
    }

    /** See {@link NetworkDriver#leftoverEndpoints()}. */
    List<String> leftoverEndpoints() {
        List<String> ids = new ArrayList<>();
        for (NetworkRecord network : store.read(Tx::networks)) {
            store.read(tx -> tx.endpoints(network.networkId())).stream()
                    .filter(e -> isLeftover(network, e)).forEach(e -> ids.add(e.endpointId()));
        }
        return ids;
    }

    /**
     * The endpoint to delete if {@code id} is still a leftover. A CreateEndpoint committed just before a crash
     * loses its reply: Docker counts it failed and never deletes it, while a live endpoint is joined within
     * milliseconds of its creation. And Docker does not repeat a Leave or DeleteEndpoint it could not deliver. So
     * an endpoint still unjoined, or still without its container, for the whole grace period is such a leftover.
     */
    Optional<EndpointRequest> stillLeftover(String id) {
        Optional<EndpointRecord> endpoint = store.read(tx -> tx.endpoint(id));
        Optional<NetworkRecord> network = endpoint.flatMap(e -> store.read(tx -> tx.network(e.networkId())));
        if (network.isEmpty() || !isLeftover(network.get(), endpoint.get())) {
            return Optional.empty();
        }
        log.warn("removing endpoint {}: {} since before our start (its call was lost in a crash)", id,
                endpoint.get().sandboxKey() == null ? "never joined" : "its container gone");
        return Optional.of(new EndpointRequest(network.get().networkId(), id));
    }

    /**
     * Never joined; or joined, but the container end is back in our namespace under its own name (Docker moves
     * it back at Leave), or the host end of a veth is gone (it dies with its container's namespace). A live
     * container's end is in the container, named ethN.
     */
    private boolean isLeftover(NetworkRecord network, EndpointRecord endpoint) {
        return endpoint.sandboxKey() == null || links.exists(endpoint.containerIfName())
                || modes.of(network).vethEndpoints() && !links.exists(endpoint.hostIfName());
    }

    /** What the firewall must hold, gathered network by network from endpoints read once. */
    private final class FirewallState {
        private final List<FirewallNetwork> networks = new ArrayList<>();
        private final List<RoutedLink> routedLinks = new ArrayList<>();

        void add(NetworkMode mode, NetworkRecord network, List<EndpointRecord> endpoints) {
            mode.firewallNetwork(network).ifPresent(networks::add);
            routedLinks.addAll(mode.routedLinks(network, endpoints));
        }

        void restore() {
            host.firewall.restore(networks, routedLinks, store.read(Tx::publishedPorts));
        }
    }
}
